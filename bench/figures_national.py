"""Benchmark 3b (`BENCH_ONLY=figures_1m`): programme figures at national scale, 1,000,000
attendance rows over two years, 300 events in four cities, 100,000 people, against a plain
COUNT(*) over the same rows; full and filtered (one city, one quarter, one event kind).

Everything is generated in PostgreSQL with `generate_series` (a few tens of seconds): 150,000
one-person registrations (500 per event) held by 100,000 participants (a person holds up to two
tickets, at two events; one in a hundred participants merged into another), 10 sessions per
event; 600,000 ticket admissions (each ticket at 4 of its event's 10 sessions) and 400,000
anonymous rows (walk-ins; one in a hundred a class headcount of 25; one in a hundred voided).
The figure tallies are filled by the same triggers as at the door, from the bulk INSERT."""

import datetime
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attendance.models import Attendance
from attendance.reach import reach_flush
from attendance.tallies import tallies_check
from events.models import EventKind
from reporting.selectors import FigureFilters, figures_for_programme
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ProgrammeFactory,
    TargetFactory,
    VenueFactory,
    share_target,
)

from .data import AGE_BANDS, GENDERS, MERGES_SQL, PROFILES, morning_sessions_bulk_create

EVENTS = 300
SESSIONS_PER_EVENT = 10
TICKETS_PER_EVENT = 500
PEOPLE = 100_000
ADMISSIONS_PER_TICKET = 4
ANONYMOUS_ROWS = 400_000
CITIES = ["Oujda", "Nador", "Berkane", "Taza"]
KINDS = [EventKind.AWARENESS_SESSION, EventKind.SCHOOL_CAMPAIGN, EventKind.CONVIVIALITY_MEETING]
DAYS = 730

# Registrations, attendees, tickets, participants and links with explicit ids (base + n), so
# each table refers to the others without a lookup; the identities restart after them.
PEOPLE_SQL = """
INSERT INTO events_registration (id, kind, contact_name, phone, email, language, consent_contact,
    consent_wording_version, source, access_token, created_at, event_id, preferred_channel,
    whatsapp_opt_in, whatsapp_opt_in_wording_version, answer)
SELECT %(base)s + g, 'individual', 'P' || g, '', '', 'fr', false, '', 'import',
    md5('r' || g) || md5('a' || g), now(), a.ev[1 + g %% %(events)s], '', false, '', ''
FROM generate_series(0, %(tickets)s - 1) AS g, (SELECT %(ev)s::bigint[] AS ev) AS a;
INSERT INTO events_attendee (id, first_name, gender, age_band, profile, nationality, is_contact,
    registration_id)
SELECT %(base)s + g, 'P' || g, a.genders[1 + g %% %(n_genders)s], a.ages[1 + g %% %(n_ages)s],
    a.profiles[1 + g %% %(n_profiles)s], '', true, %(base)s + g
FROM generate_series(0, %(tickets)s - 1) AS g,
     (SELECT %(genders)s::text[] AS genders, %(ages)s::text[] AS ages,
             %(profiles)s::text[] AS profiles) AS a;
INSERT INTO events_ticket (id, secret, short_code, status, issued_at, attendee_id, event_id)
SELECT %(base)s + g, md5('s' || g) || md5('t' || g), 'N' || lpad(to_hex(g), 7, '0'), 'valid',
    now(), %(base)s + g, a.ev[1 + g %% %(events)s]
FROM generate_series(0, %(tickets)s - 1) AS g, (SELECT %(ev)s::bigint[] AS ev) AS a;
INSERT INTO participants_participant (id, organization_id, gender, age_band, profile,
    preferred_language, preferred_channel, match_hash, phone_hash, name_hash, created_at)
SELECT %(base)s + p, %(organization)s, a.genders[1 + p %% %(n_genders)s],
    a.ages[1 + p %% %(n_ages)s], a.profiles[1 + p %% %(n_profiles)s], 'fr', 'sms', NULL, '', '',
    now()
FROM generate_series(0, %(people)s - 1) AS p,
     (SELECT %(genders)s::text[] AS genders, %(ages)s::text[] AS ages,
             %(profiles)s::text[] AS profiles) AS a;
INSERT INTO participants_participantlink (attendee_id, participant_id, linked_at)
SELECT %(base)s + g, %(base)s + g %% %(people)s, now()
FROM generate_series(0, %(tickets)s - 1) AS g;
"""

# Ticket g (of event g mod 300) at sessions (g + 3j) mod 10, j = 0..3: four distinct sessions.
ROWS_SQL = """
INSERT INTO attendance_attendance (event_id, session_id, ticket_id, source, gender, age_band,
    profile, headcount, gate, recorded_at, recorded_by_label, void_reason, voided_at)
SELECT a.ev[1 + (r / 4) %% %(events)s],
    a.se[1 + ((r / 4) %% %(events)s) * %(per_event)s + ((r / 4) + 3 * (r %% 4)) %% %(per_event)s],
    %(base)s + r / 4, 'scan',
    a.genders[1 + (r / 4) %% %(n_genders)s], a.ages[1 + (r / 4) %% %(n_ages)s],
    a.profiles[1 + (r / 4) %% %(n_profiles)s], 1, '', now(), 'bench', '', NULL
FROM generate_series(0, %(admissions)s - 1) AS r,
     (SELECT %(ev)s::bigint[] AS ev, %(se)s::bigint[] AS se, %(genders)s::text[] AS genders,
             %(ages)s::text[] AS ages, %(profiles)s::text[] AS profiles) AS a;
INSERT INTO attendance_attendance (event_id, session_id, ticket_id, source, gender, age_band,
    profile, headcount, gate, recorded_at, recorded_by_label, void_reason, voided_at)
SELECT a.ev[1 + (r %% %(sessions)s) / %(per_event)s], a.se[1 + r %% %(sessions)s], NULL,
    CASE WHEN r %% 100 = 1 THEN 'class_tally' ELSE 'walk_in' END,
    a.genders[1 + r %% %(n_genders)s], a.ages[1 + r %% %(n_ages)s],
    a.profiles[1 + r %% %(n_profiles)s], CASE WHEN r %% 100 = 1 THEN 25 ELSE 1 END, '', now(),
    'bench', '', CASE WHEN r %% 100 = 3 THEN now() END
FROM generate_series(0, %(anonymous)s - 1) AS r,
     (SELECT %(ev)s::bigint[] AS ev, %(se)s::bigint[] AS se, %(genders)s::text[] AS genders,
             %(ages)s::text[] AS ages, %(profiles)s::text[] AS profiles) AS a;
"""

RESTART_SQL = """
SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))
"""


def _programme():
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS)
    organization = OrganizationFactory(name="Bench national programme")
    programme = ProgrammeFactory(
        lead_organization=organization, code="bench-national", start_date=start, end_date=today
    )
    TargetFactory(programme=programme, measure="people_reached", value=500_000)
    share_target(programme, "people_reached", 300_000, "gender", "female", 50)
    TargetFactory(programme=programme, measure="children_reached", value=100_000)
    venues = [VenueFactory(name=f"Bench hall {city}", city=city) for city in CITIES]
    events, sessions = [], []
    for number in range(EVENTS):
        first_day = start + datetime.timedelta(days=number * (DAYS - 30) // EVENTS)
        event = EventFactory(
            programme=programme,
            organizer=organization,
            kind=KINDS[number % len(KINDS)],
            title=f"Bench national event {number}",
            start_date=first_day,
            end_date=first_day + datetime.timedelta(days=3 * (SESSIONS_PER_EVENT - 1)),
        )
        events.append(event)
        sessions += morning_sessions_bulk_create(
            event=event,
            dates=[
                first_day + datetime.timedelta(days=3 * day) for day in range(SESSIONS_PER_EVENT)
            ],
            venue=venues[number % len(CITIES)],
        )
    return programme, organization, events, sessions


def national_data_create(log=print):
    programme, organization, events, sessions = _programme()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM events_registration),"
            " (SELECT COALESCE(MAX(id), 0) FROM events_attendee),"
            " (SELECT COALESCE(MAX(id), 0) FROM events_ticket),"
            " (SELECT COALESCE(MAX(id), 0) FROM participants_participant)) + 1"
        )
        base = cursor.fetchone()[0]
        parameters = {
            "base": base,
            "events": EVENTS,
            "per_event": SESSIONS_PER_EVENT,
            "sessions": EVENTS * SESSIONS_PER_EVENT,
            "tickets": EVENTS * TICKETS_PER_EVENT,
            "people": PEOPLE,
            "admissions": EVENTS * TICKETS_PER_EVENT * ADMISSIONS_PER_TICKET,
            "anonymous": ANONYMOUS_ROWS,
            "organization": organization.pk,
            "ev": [event.pk for event in events],
            "se": [session.pk for session in sessions],
            "genders": [str(value) for value in GENDERS],
            "ages": [str(value) for value in AGE_BANDS],
            "profiles": [str(value) for value in PROFILES],
            "n_genders": len(GENDERS),
            "n_ages": len(AGE_BANDS),
            "n_profiles": len(PROFILES),
        }
        log("figures_1m: 150,000 registrations and tickets, 100,000 participants")
        cursor.execute(PEOPLE_SQL, parameters)
        cursor.execute(MERGES_SQL, {"organization": organization.pk})
        for table in (
            "events_registration",
            "events_attendee",
            "events_ticket",
            "participants_participant",
        ):
            cursor.execute(RESTART_SQL.format(table=table))
        log("figures_1m: 1,000,000 attendance rows (the tallies follow by trigger)")
        started = time.perf_counter()
        cursor.execute(ROWS_SQL, parameters)
        inserted_s = time.perf_counter() - started
        # The triggers queued everyone the load admitted; the first figures would recompute them
        # all. Done here, timed: what the beat's flush would spread over the load's duration.
        log("figures_1m: the programme reach of everyone queued, recomputed")
        started = time.perf_counter()
        flushed = reach_flush()
        flushed_s = time.perf_counter() - started
        cursor.execute("ANALYZE")
    return programme, {"insert_s": inserted_s, "flushed": flushed, "flush_s": flushed_s}


def _median_ms(call, repeat: int) -> float:
    timings = []
    for _round in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    # The figures' transaction (BEGIN/COMMIT are not statements outside tests) counts its one
    # SET LOCAL: every statement the server runs is in the count.
    return len(captured)


def figures_national_benchmark(log=print, repeat: int = 3) -> dict:
    programme, load = national_data_create(log=log)
    # The calendar quarter that held the day half a year ago.
    day = timezone.localdate() - datetime.timedelta(days=180)
    quarter_start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    quarter_end = (quarter_start + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(
        days=1
    )
    filters = FigureFilters(
        date_from=quarter_start, date_to=quarter_end, city=CITIES[1], kind=KINDS[1]
    )

    def full():
        return figures_for_programme(programme=programme)

    def filtered():
        return figures_for_programme(programme=programme, filters=filters)

    def plain_count():
        return Attendance.objects.filter(event__programme=programme, voided_at__isnull=True).count()

    rows = plain_count()
    log("figures_1m: warming up, then timing COUNT(*), full and filtered figures")
    figures = full()
    filtered_figures = filtered()
    result = {
        "rows": rows,
        **load,
        "people_reached": figures.totals.people_reached,
        "registered_people": figures.totals.registered_people,
        "filtered_attendances": filtered_figures.totals.attendances,
        "filters": filters.as_dict(),
        "full_queries": _queries(full),
        "filtered_queries": _queries(filtered),
        "tallies_exact": not any(tallies_check().values()),
    }
    # Interleaved, so that a neighbour's burst on the shared machine hits all three alike.
    counts, fulls, filtereds = [], [], []
    for _round in range(repeat):
        counts.append(_median_ms(plain_count, 1))
        fulls.append(_median_ms(full, 1))
        filtereds.append(_median_ms(filtered, 1))
    result["count_ms"] = statistics.median(counts)
    result["full_ms"] = statistics.median(fulls)
    result["filtered_ms"] = statistics.median(filtereds)
    return result
