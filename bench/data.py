"""Benchmark data, created fast in the benchmark database: parents through the test factories,
the many rows (registrations, attendees, tickets) with bulk_create in batches."""

import datetime
import itertools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from attendance.models import DoorSettings
from attendance.services.tokens import door_token_create
from core.demographics import AgeBand, Gender, Profile
from events.codes import new_short_code, new_ticket_secret
from events.models import Attendee, Event, Registration, Session, Ticket
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ProgrammeFactory,
    SessionFactory,
    VenueFactory,
)

from .baseline import BASELINE_TABLE_SQL

BATCH = 2000
GENDERS = [Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.UNDISCLOSED, Gender.OTHER]
AGE_BANDS = list(AgeBand.values)
PROFILES = [Profile.MIGRANT, Profile.REFUGEE, Profile.HOST, Profile.UNDISCLOSED]


def demographics(index: int) -> dict:
    """Deterministic, varied demographics for person number `index` (same rule as the SQL)."""
    return {
        "gender": GENDERS[index % len(GENDERS)],
        "age_band": AGE_BANDS[index % len(AGE_BANDS)],
        "profile": PROFILES[index % len(PROFILES)],
    }


def _batched(items, size=BATCH):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def unique_short_codes(count: int) -> list[str]:
    taken = set(Ticket.objects.values_list("short_code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = new_short_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def next_week_event(*, programme, title: str, capacity: int | None) -> Event:
    """A one-day event a week from today: registrations open, no door yet."""
    day = timezone.localdate() + datetime.timedelta(days=7)
    return EventFactory(
        programme=programme, title=title, start_date=day, end_date=day, capacity=capacity
    )


def attendees_create(*, event: Event, count: int, first_index: int = 0) -> list[Attendee]:
    """`count` one-person registrations for `event`, without tickets."""
    registrations = Registration.objects.bulk_create(
        (
            Registration(event=event, contact_name=f"P{first_index + i}", source="import")
            for i in range(count)
        ),
        batch_size=BATCH,
    )
    attendees = [
        Attendee(
            registration=registration,
            first_name=registration.contact_name,
            is_contact=True,
            **demographics(first_index + i),
        )
        for i, registration in enumerate(registrations)
    ]
    return Attendee.objects.bulk_create(attendees, batch_size=BATCH)


def tickets_bulk_create(*, event: Event, count: int, first_index: int = 0) -> list[Ticket]:
    attendees = attendees_create(event=event, count=count, first_index=first_index)
    codes = unique_short_codes(count)
    tickets = [
        Ticket(event=event, attendee=attendee, secret=new_ticket_secret(), short_code=code)
        for attendee, code in zip(attendees, codes, strict=True)
    ]
    return Ticket.objects.bulk_create(tickets, batch_size=BATCH)


def morning_sessions_bulk_create(*, event: Event, dates, venue) -> list[Session]:
    """A 10:00-12:00 session of the event on each date, at the venue, in one query."""
    return Session.objects.bulk_create(
        Session(
            event=event,
            date=date,
            start_time=datetime.time(10, 0),
            end_time=datetime.time(12, 0),
            venue=venue,
        )
        for date in dates
    )


@dataclass
class DoorData:
    event: Event
    session: Session
    raw_token: str
    secrets: list[str]


def door_data_create(*, tickets: int) -> DoorData:
    """An event whose door is open all day today, `tickets` valid tickets and a door token."""
    today = timezone.localdate()
    programme = ProgrammeFactory(
        lead_organization=OrganizationFactory(name="Bench door association"),
        code="bench-door",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=30),
    )
    event = EventFactory(programme=programme, title="Bench fair", start_date=today, end_date=today)
    session = SessionFactory(
        event=event,
        date=today,
        start_time=datetime.time(0, 0),
        end_time=datetime.time(23, 59),
        venue=VenueFactory(name="Bench door hall"),
    )
    # A whole day on either side: the run may start close to midnight.
    DoorSettings.objects.create(
        event=event, opens_minutes_before=24 * 60, closes_minutes_after=24 * 60
    )
    created = tickets_bulk_create(event=event, count=tickets)
    issued = door_token_create(label="Bench gate", events=[event], created_by=None)
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_TABLE_SQL)
        # Statistics, as autovacuum keeps them on a live database: freshly bulk-loaded tables
        # have none, and the planner would pick its plans blind.
        cursor.execute("ANALYZE")
    return DoorData(
        event=event,
        session=session,
        raw_token=issued.raw_token,
        secrets=[ticket.secret for ticket in created],
    )


PARTICIPANTS_SQL = """
WITH created AS (
    INSERT INTO participants_participant (organization_id, gender, age_band, profile,
        preferred_language, preferred_channel, match_hash, phone_hash, name_hash, created_at)
    SELECT %(organization)s, a.genders[1 + g %% %(n_genders)s], a.ages[1 + g %% %(n_ages)s],
        a.profiles[1 + g %% %(n_profiles)s], 'fr', 'sms', NULL, '', '', now()
    FROM generate_series(0, %(people)s - 1) AS g,
         (SELECT %(genders)s::text[] AS genders, %(ages)s::text[] AS ages,
                 %(profiles)s::text[] AS profiles) AS a
    RETURNING id
),
numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM created),
attendees AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM events_attendee
    WHERE id = ANY(%(attendees)s::bigint[])
)
INSERT INTO participants_participantlink (attendee_id, participant_id, linked_at)
SELECT attendees.id, numbered.id, now()
FROM attendees JOIN numbered ON numbered.n = attendees.n %% %(people)s
"""
# One participant in a hundred merged into the next one, as an organizer's merge leaves them.
MERGES_SQL = """
UPDATE participants_participant AS merged SET merged_into_id = kept.id
FROM participants_participant AS kept
WHERE merged.organization_id = %(organization)s AND kept.id = merged.id + 1
  AND kept.organization_id = merged.organization_id AND merged.id %% 100 = 0
"""


def participants_link(*, organization, attendees, people: int) -> None:
    """Participants and links the way matching leaves them, in SQL: `people` participants for
    the attendees (attendee n is participant n mod `people`, so with fewer people than attendees
    the same person comes back to other events), one in a hundred merged into another."""
    parameters = {
        "organization": organization.pk,
        "people": people,
        "attendees": [attendee.pk for attendee in attendees],
        "n_genders": len(GENDERS),
        "n_ages": len(AGE_BANDS),
        "n_profiles": len(PROFILES),
        "genders": [str(value) for value in GENDERS],
        "ages": [str(value) for value in AGE_BANDS],
        "profiles": [str(value) for value in PROFILES],
    }
    with connection.cursor() as cursor:
        cursor.execute(PARTICIPANTS_SQL, parameters)
        cursor.execute(MERGES_SQL, parameters)
