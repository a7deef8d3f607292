"""Benchmark 3: the programme figures at 10k, 100k and 1M attendance rows, against a plain
COUNT(*) over the same rows. Rows are generated in PostgreSQL (INSERT … SELECT generate_series):
half are ticket scans (20 events × 25 sessions × 1,000 tickets, one admission per ticket and
session), half anonymous walk-ins, one in a hundred a class headcount of 25, some voided. The 20,000
attendees are linked to 12,000 participants (one in a hundred merged), as matching leaves them."""

import datetime
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attendance.models import Attendance
from reporting.selectors import figures_for_programme
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ProgrammeFactory,
    TargetFactory,
    VenueFactory,
    share_target,
)

from .data import (
    AGE_BANDS,
    GENDERS,
    PROFILES,
    morning_sessions_bulk_create,
    participants_link,
    tickets_bulk_create,
)

EVENTS = 20
SESSIONS_PER_EVENT = 25
TICKETS_PER_EVENT = 1000
# The 20,000 registered attendees are 12,000 people: many come back to other events.
PEOPLE = 12_000
SIZES = [10_000, 100_000, 1_000_000]

INSERT_SQL = """
INSERT INTO attendance_attendance (event_id, session_id, ticket_id, source, gender, age_band,
    profile, headcount, gate, recorded_at, recorded_by_label, void_reason, voided_at)
SELECT
    CASE WHEN g %% 2 = 0 THEN a.ev[1 + (g / 2) %% %(events)s]
         ELSE a.ev[1 + ((g / 2) %% %(sessions)s) / %(per_event)s] END,
    CASE WHEN g %% 2 = 0
         THEN a.se[1 + ((g / 2) %% %(events)s) * %(per_event)s
                   + ((g / 2) / %(events)s) / %(tickets_per_event)s]
         ELSE a.se[1 + (g / 2) %% %(sessions)s] END,
    CASE WHEN g %% 2 = 0
         THEN a.ti[1 + ((g / 2) %% %(events)s) * %(tickets_per_event)s
                   + ((g / 2) / %(events)s) %% %(tickets_per_event)s] END,
    CASE WHEN g %% 2 = 0 THEN 'scan' WHEN g %% 100 = 1 THEN 'class_tally' ELSE 'walk_in' END,
    a.genders[1 + g %% %(n_genders)s],
    a.ages[1 + g %% %(n_ages)s],
    a.profiles[1 + g %% %(n_profiles)s],
    CASE WHEN g %% 100 = 1 THEN 25 ELSE 1 END,
    '',
    now() - (g %% 5000) * interval '1 minute',
    'bench',
    '',
    CASE WHEN g %% 2 = 1 AND g %% 97 = 3 THEN now() END
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g,
     (SELECT %(ev)s::bigint[] AS ev, %(se)s::bigint[] AS se, %(ti)s::bigint[] AS ti,
             %(genders)s::text[] AS genders, %(ages)s::text[] AS ages,
             %(profiles)s::text[] AS profiles) AS a
"""


def programme_create():
    today = timezone.localdate()
    organization = OrganizationFactory(name="Bench figures association")
    programme = ProgrammeFactory(
        lead_organization=organization,
        code="bench-figures",
        start_date=today - datetime.timedelta(days=365),
        end_date=today + datetime.timedelta(days=365),
    )
    TargetFactory(programme=programme, measure="people_reached", value=400_000)
    share_target(programme, "people_reached", 200_000, "gender", "female", 50)
    TargetFactory(programme=programme, measure="children_reached", value=50_000)
    venue = VenueFactory(name="Bench figures hall")
    events, sessions, tickets = [], [], []
    for number in range(EVENTS):
        start = today - datetime.timedelta(days=300 - number * 10)
        event = EventFactory(
            programme=programme,
            title=f"Bench event {number}",
            start_date=start,
            end_date=start + datetime.timedelta(days=SESSIONS_PER_EVENT),
        )
        events.append(event)
        sessions += morning_sessions_bulk_create(
            event=event,
            dates=[start + datetime.timedelta(days=day) for day in range(SESSIONS_PER_EVENT)],
            venue=venue,
        )
        tickets += tickets_bulk_create(
            event=event, count=TICKETS_PER_EVENT, first_index=number * TICKETS_PER_EVENT
        )
    participants_link(
        organization=organization,
        attendees=[ticket.attendee for ticket in tickets],
        people=PEOPLE,
    )
    return programme, events, sessions, tickets


def rows_insert(*, first: int, last: int, events, sessions, tickets) -> None:
    parameters = {
        "events": EVENTS,
        "sessions": EVENTS * SESSIONS_PER_EVENT,
        "per_event": SESSIONS_PER_EVENT,
        "tickets_per_event": TICKETS_PER_EVENT,
        "n_genders": len(GENDERS),
        "n_ages": len(AGE_BANDS),
        "n_profiles": len(PROFILES),
        "first": first,
        "last": last,
        "ev": [event.pk for event in events],
        "se": [session.pk for session in sessions],
        "ti": [ticket.pk for ticket in tickets],
        "genders": [str(value) for value in GENDERS],
        "ages": [str(value) for value in AGE_BANDS],
        "profiles": [str(value) for value in PROFILES],
    }
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, parameters)
        cursor.execute("ANALYZE")


def _median_seconds(call, repeat: int) -> float:
    timings = []
    for _round in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def figures_benchmark(log=print) -> list[dict]:
    programme, events, sessions, tickets = programme_create()
    results = []
    inserted = 0
    for size in SIZES:
        log(f"figures: inserting up to {size:,} attendances")
        rows_insert(
            first=inserted, last=size - 1, events=events, sessions=sessions, tickets=tickets
        )
        inserted = size
        rows = Attendance.objects.filter(event__programme=programme).count()

        def figures():
            return figures_for_programme(programme=programme)

        def plain_count():
            return Attendance.objects.filter(
                event__programme=programme, voided_at__isnull=True
            ).count()

        # The first call (counted) also warms the caches; 1M rows take seconds per call, so
        # fewer timed calls there keep `make bench` inside its budget.
        with CaptureQueriesContext(connection) as captured:
            figures()
        plain_count()
        repeat = 5 if size < 1_000_000 else 1
        results.append(
            {
                "rows": rows,
                "queries": len(captured),
                "figures_ms": _median_seconds(figures, repeat) * 1000,
                "count_ms": _median_seconds(plain_count, max(repeat, 3)) * 1000,
            }
        )
    return results
