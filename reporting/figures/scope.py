"""Which attendance rows count, who each row is (the canonical participant), and the one grouped
query every figure is derived from."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from attendance.models import Attendance
from core.replica import read_alias
from events.models import Event

PARTICIPANT = "ticket__attendee__participant_link__participant"
# Merges never move links: a merged participant points at the one it was merged into (pointers
# are flattened, so one step is enough), and a person is counted as that canonical participant.
CANONICAL_PARTICIPANT = Coalesce(f"{PARTICIPANT}__merged_into_id", f"{PARTICIPANT}_id")
# Who a registered row is: the canonical participant. Every attendee is linked on registration;
# one that is not (yet) counts as itself, under a negative key that cannot meet a participant id.
# NULL for anonymous rows (walk-ins, class headcounts).
PERSON_KEY = Coalesce(CANONICAL_PARTICIPANT, F("ticket__attendee_id") * -1)


# A registered person's demographics come from the canonical participant, so one person sits in
# exactly one cell whatever a door volunteer or a later registration typed; anonymous rows
# (walk-ins, class headcounts) carry their own.
def person_demographics(*, own: bool = True) -> dict:
    """The canonical participant's demographics, else the attendee's, else (`own`, for
    attendance rows) the row's own."""
    return {
        f"person_{name}": Coalesce(
            f"{PARTICIPANT}__merged_into__{name}",
            f"{PARTICIPANT}__{name}",
            f"ticket__attendee__{name}",
            *([name] if own else []),
        )
        for name in ("gender", "age_band", "profile")
    }


PERSON_DEMOGRAPHICS = person_demographics()
DEMOGRAPHIC_KEYS = {
    "gender": "person_gender",
    "age_band": "person_age_band",
    "profile": "person_profile",
}
DEFAULT_REGULAR_PERCENT = Decimal(75)


@dataclass(frozen=True)
class FigureFilters:
    """Period (inclusive, on session dates), event kind, and the site and partner filters donors
    report by: the city of the session's venue, the school a session was held in, and an
    organisation that organised or co-organised the event."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: str | None = None
    city: str | None = None
    school: str | None = None
    organization_id: int | None = None

    @property
    def per_event(self) -> bool:
        """Whether the filters keep or drop whole events (kind, partner), so that per-ticket
        tallies can answer; a period, a city or a school picks sessions."""
        return not (self.date_from or self.date_to or self.city or self.school)

    def as_dict(self) -> dict:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "kind": self.kind or None,
            "city": self.city or None,
            "school": self.school or None,
            "organization": self.organization_id,
        }


def scope_filter(
    queryset: QuerySet, *, programme=None, event=None, filters=None, session: str = "session__"
) -> QuerySet:
    """Restrict rows that have an `event` (and, through `session`, a session) to a programme or
    event and the figures' filters. `session` is the path to the session: "session__" for
    attendance rows and anonymous tallies, "" for sessions themselves; ticket tallies have no
    session and take event-level filters only."""
    if programme is not None:
        queryset = queryset.filter(event__programme=programme)
    if event is not None:
        queryset = queryset.filter(event=event)
    filters = filters or FigureFilters()
    if filters.date_from:
        queryset = queryset.filter(**{f"{session}date__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{session}date__lte": filters.date_to})
    if filters.kind:
        queryset = queryset.filter(event__kind=filters.kind)
    if filters.city:
        queryset = queryset.filter(**{f"{session}venue__city__iexact": filters.city})
    if filters.school:
        queryset = queryset.filter(**{f"{session}school_name__iexact": filters.school})
    if filters.organization_id:
        # A subquery, not a join: joining co-organisers would repeat each attendance row once
        # per co-organiser and inflate every sum.
        partner_events = Event.objects.filter(
            Q(organizer_id=filters.organization_id) | Q(co_organizers__id=filters.organization_id)
        ).values("pk")
        queryset = queryset.filter(event__in=partner_events)
    return queryset


def counted_attendances(
    *, programme=None, event=None, filters: FigureFilters | None = None
) -> QuerySet:
    """Attendance rows that count: never voided ones."""
    return scope_filter(
        Attendance.objects.filter(voided_at__isnull=True),
        programme=programme,
        event=event,
        filters=filters,
    )


PERSON_MEASURES = ("returning_people", "regular_people", "first_time_people")

# Every cell's measures from one row per person (NULL: anonymous visits) and cell.
CELLS_SUMMED = """
SELECT {key}person_gender, person_age_band, person_profile,
    CAST(SUM(attendances) AS BIGINT) AS attendances,
    COUNT(person) AS registered_people,
    CAST(SUM(CASE WHEN person IS NULL THEN attendances END) AS BIGINT) AS anonymous_people,
    CAST(SUM(is_returning) AS BIGINT) AS returning_people,
    CAST(SUM(is_regular) AS BIGINT) AS regular_people,
    CAST(SUM(is_first_time) AS BIGINT) AS first_time_people
FROM per_person
GROUP BY {key}person_gender, person_age_band, person_profile
"""

CELLS_SQL = """
WITH scoped AS ({scoped}),{history}
first_seen AS (
    SELECT person, MIN(r_date) AS first_date FROM {history_name}
    WHERE person IS NOT NULL GROUP BY person
),
event_sessions AS (
    SELECT r_event, COUNT(DISTINCT r_session) AS held FROM scoped GROUP BY r_event
),
person_event AS (
    SELECT person, r_event, COUNT(DISTINCT r_session) AS attended FROM scoped
    WHERE person IS NOT NULL GROUP BY person, r_event
),
person_events AS (
    SELECT person, COUNT(*) AS events FROM person_event GROUP BY person
),
per_person AS (
    SELECT {key}person_gender, person_age_band, person_profile, scoped.person AS person,
        SUM(r_headcount) AS attendances,
        MAX(CASE WHEN person_events.events >= 2 THEN 1 ELSE 0 END) AS is_returning,
        MAX(CASE WHEN event_sessions.held >= 2
                  AND 100 * person_event.attended >= %s * event_sessions.held
            THEN 1 ELSE 0 END) AS is_regular,
        MAX(CASE WHEN scoped.r_date = first_seen.first_date THEN 1 ELSE 0 END) AS is_first_time
    FROM scoped
    JOIN event_sessions ON event_sessions.r_event = scoped.r_event
    LEFT JOIN person_event
        ON person_event.person = scoped.person AND person_event.r_event = scoped.r_event
    LEFT JOIN person_events ON person_events.person = scoped.person
    LEFT JOIN first_seen ON first_seen.person = scoped.person
    GROUP BY {key}person_gender, person_age_band, person_profile, scoped.person
)
{summed}"""


def _rows(queryset: QuerySet, **extra) -> QuerySet:
    return (
        queryset.annotate(
            person=PERSON_KEY,
            r_event=F("event_id"),
            r_session=F("session_id"),
            r_date=F("session__date"),
            r_headcount=F("headcount"),
            **extra,
        )
        .values("person", "r_event", "r_session", "r_date", "r_headcount", *extra)
        .order_by()
    )


def demographic_cells(
    queryset: QuerySet,
    *,
    history: QuerySet | None,
    key=None,
    regular_percent: Decimal = DEFAULT_REGULAR_PERCENT,
) -> list[dict]:
    """One row per (group key, gender, age band, profile) with every measure counted in it, in
    one query whatever the number of rows.

    Registered people are distinct canonical participants: additive across demographic cells
    (each person sits in exactly one cell), but not across groups: the same person at three
    events is one person in each and once overall, which is why every grouping is its own query
    instead of a sum of finer ones. Per person, grouped in the database:
    - returning: came to two or more distinct events in scope;
    - regular: came to at least `regular_percent`% of the sessions held (in scope) of the row's
      event, an event holding at least two sessions;
    - first time: the row's session date is the person's first counted attendance in `history`
      (the whole programme; None when that is the scope itself), so first-time people of
      successive periods add up.
    Rows are first grouped per person within a cell, then cells are summed: no COUNT(DISTINCT)
    over every attendance row."""
    scoped = _rows(queryset, **PERSON_DEMOGRAPHICS, **({"g_key": key} if key is not None else {}))
    scoped_sql, scoped_params = scoped.query.sql_with_params()
    history_sql, history_params = "", ()
    if history is not None:
        history_sql, history_params = _rows(history).query.sql_with_params()
        history_sql = f"\nhistory AS ({history_sql}),"
    sql = CELLS_SQL.format(
        scoped=scoped_sql,
        history=history_sql,
        history_name="history" if history is not None else "scoped",
        key="g_key, " if key is not None else "",
        summed=CELLS_SUMMED.format(key="g_key, " if key is not None else ""),
    )
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, (*scoped_params, *history_params, regular_percent))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def held_counts(queryset: QuerySet, *, group_by: dict | None = None) -> list[dict]:
    """Events and sessions held (at least one counted attendance), per group."""
    counts = {
        "events_held": Count("event", distinct=True),
        "sessions_held": Count("session", distinct=True),
    }
    if not group_by:
        return [queryset.aggregate(**counts)]
    return list(queryset.annotate(**group_by).values(*group_by).annotate(**counts).order_by())


# Who each registered attendee of the programme is, as PERSON_KEY resolves it (the canonical
# participant, else the attendee under a negative key). Only merged participants are joined:
# a merge pointer is the one thing read from them, and joining every participant (100,000 at
# national scale) for the few hundred merged ones cost a third of the query.
DEDUPLICATION_SQL = """
SELECT COUNT(DISTINCT a.registration_id), COUNT(*),
    COUNT(DISTINCT COALESCE(merged.merged_into_id, link.participant_id, -a.id))
FROM events_event e
JOIN events_registration r ON r.event_id = e.id
JOIN events_attendee a ON a.registration_id = r.id
LEFT JOIN participants_participantlink link ON link.attendee_id = a.id
LEFT JOIN participants_participant merged
    ON merged.id = link.participant_id AND merged.merged_into_id IS NOT NULL
WHERE e.programme_id = %s"""


def deduplication(*, programme) -> dict:
    """Registrations, the people they name (attendees) and the distinct participants those are:
    '1,204 registrations → 918 people'. One query."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(DEDUPLICATION_SQL, (getattr(programme, "pk", programme),))
        registrations, attendees, people = cursor.fetchone()
    return {
        "registrations": registrations,
        "registered_attendees": attendees,
        "distinct_participants": people,
    }
