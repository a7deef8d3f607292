"""The figures' fast path: the same cells and held counts as `scope.demographic_cells` and
`scope.held_counts`, read from the tallies the database keeps (attendance/tallies.py) instead of
every attendance row.

- Registered people: one row per ticket (a ticket is one person at one event) with its sessions
  attended, people and first session date. When the filters keep or drop whole events (none,
  a kind, a partner) and the grouping is per event, kind or organiser, these rows are the
  TicketTally rows themselves; when they pick sessions (a period, a city, a school) or the
  grouping is per session, venue, school, month or quarter, they are the counted attendance
  rows of the scope grouped per ticket (and group) first, then read like tallies.
- A person holding two tickets of one event is the one case where sessions do not add up (both
  could be scanned at the same session): their distinct sessions are counted from the rows.
- Anonymous visits: AnonymousTally rows (per session and demographics), whatever the scope.
- Sessions held: the scope's sessions with at least one counted row, one index probe each.

Who a person is and their demographics are resolved when the figures are read (links, merges
and corrections of a participant never touch a tally), with the same expressions as the rows'
path. `manage.py figures_tallies --check` compares both paths."""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet, Sum
from django.db.models.expressions import RawSQL

from attendance.models import AnonymousTally, Attendance, TicketTally
from attendance.reach import reach_flush
from core.replica import read_alias
from events.models import Session

from .scope import CELLS_SUMMED, PERSON_KEY, counted_attendances, person_demographics, scope_filter

TALLY_CELLS_SQL = """
WITH trows AS ({tickets}),
anon AS ({anonymous}),
held_sessions AS ({held}),
event_sessions AS (SELECT r_event, COUNT(*) AS held FROM held_sessions GROUP BY r_event),
first_seen AS ({first_seen}),
ticket_event AS (
    SELECT person, r_event, ticket_id, SUM(r_sessions) AS sessions FROM trows
    GROUP BY person, r_event, ticket_id
),
person_event AS (
    SELECT person, r_event,
        CASE WHEN COUNT(*) = 1 THEN SUM(sessions) ELSE (
            SELECT COUNT(DISTINCT a.session_id) FROM attendance_attendance a
            JOIN held_sessions h ON h.r_session = a.session_id
            WHERE a.ticket_id = ANY(ARRAY_AGG(ticket_event.ticket_id)) AND a.voided_at IS NULL
        ) END AS attended
    FROM ticket_event GROUP BY person, r_event
),
person_events AS (SELECT person, COUNT(*) AS events FROM person_event GROUP BY person),
per_person AS (
    SELECT {key}person_gender, person_age_band, person_profile, trows.person AS person,
        SUM(r_headcount) AS attendances,
        MAX(CASE WHEN person_events.events >= 2 THEN 1 ELSE 0 END) AS is_returning,
        MAX(CASE WHEN event_sessions.held >= 2
                  AND 100 * person_event.attended >= %s * event_sessions.held
            THEN 1 ELSE 0 END) AS is_regular,
        MAX(CASE WHEN trows.r_first = first_seen.first_date THEN 1 ELSE 0 END) AS is_first_time
    FROM trows
    JOIN event_sessions ON event_sessions.r_event = trows.r_event
    JOIN person_event
        ON person_event.person = trows.person AND person_event.r_event = trows.r_event
    JOIN person_events ON person_events.person = trows.person
    LEFT JOIN first_seen ON first_seen.person = trows.person
    GROUP BY {key}person_gender, person_age_band, person_profile, trows.person
    UNION ALL
    SELECT {key}gender, age_band, profile, NULL, SUM(r_headcount), 0, 0, 0 FROM anon
    GROUP BY {key}gender, age_band, profile
)
{summed}"""


def _ticket_rows(scope, key, per_event: bool) -> QuerySet:
    """One row per ticket (and group) of the scope: r_event, r_sessions, r_headcount, r_first,
    the person and their demographics."""
    extra = {"g_key": key} if key is not None else {}
    person = {"person": PERSON_KEY, **person_demographics(own=False)}
    if scope.filters.per_event and per_event:
        # Event-level filters only: no session path is needed.
        tallies = scope_filter(
            TicketTally.objects.all(),
            programme=scope.programme,
            event=scope.event,
            filters=scope.filters,
        )
        return tallies.values(
            "ticket_id",
            r_event=F("event_id"),
            r_sessions=F("sessions"),
            r_headcount=F("headcount"),
            r_first=F("first_date"),
            **person,
            **extra,
        ).order_by()
    rows = counted_attendances(
        programme=scope.programme, event=scope.event, filters=scope.filters
    ).filter(ticket__isnull=False)
    return (
        rows.values("ticket_id", r_event=F("event_id"), **person, **extra)
        .annotate(
            r_sessions=Count("pk"), r_headcount=Sum("headcount"), r_first=Min("session__date")
        )
        .order_by()
    )


def _anonymous_rows(scope, key) -> QuerySet:
    tallies = scope_filter(
        AnonymousTally.objects.all(),
        programme=scope.programme,
        event=scope.event,
        filters=scope.filters,
    )
    extra = {"g_key": key} if key is not None else {}
    return tallies.values(
        "gender", "age_band", "profile", r_event=F("event_id"), r_headcount=F("headcount"), **extra
    ).order_by()


def _sessions(scope) -> QuerySet:
    return scope_filter(
        Session.objects.all(),
        programme=scope.programme,
        event=scope.event,
        filters=scope.filters,
        session="",
    )


def scope_sessions(scope) -> QuerySet:
    """The scope's sessions that were held: at least one counted attendance row."""
    return _sessions(scope).filter(
        Exists(Attendance.objects.filter(session=OuterRef("pk"), voided_at__isnull=True))
    )


def _first_seen(scope) -> tuple[str, tuple]:
    if scope.history_programme is None:
        return "SELECT person, MIN(r_first) AS first_date FROM trows GROUP BY person", ()
    # The person's first date in the whole programme, on their one counted row: joined to the
    # people in scope by the person index.
    return (
        "SELECT person, first_date FROM attendance_personreach WHERE counted_once"
        " AND programme_id = %s",
        (getattr(scope.history_programme, "pk", scope.history_programme),),
    )


# The programme's own figures (no filter) from the reach cells (attendance/reach.py): a few
# hundred rows whatever the number of people. Totals count each person on their one
# `counted_once` row (everyone is first-time in their own programme's history); per event, each
# reach row is one person there. Regular: a cell's sessions attended against its event's
# sessions held; in totals a person regular at two events counts once, so those few reach rows
# are read themselves: per event, by the event and sessions index (a lateral probe per event,
# the threshold an integer like the column and OFFSET 0 keeping the probe a probe: otherwise the
# planner hashes every reach row of the programme, 150,000 at national scale, to find a few).
REACH_CELLS_SQL = """
WITH held_sessions AS ({held}),
event_sessions AS (SELECT r_event, COUNT(*) AS held FROM held_sessions GROUP BY r_event),
cells AS (
    SELECT {cells_key}c.gender, c.age_band, c.profile, SUM(c.headcount) AS attendances,
        SUM({people}) AS registered_people, 0 AS anonymous_people,
        SUM({returners}) AS returning_people,
        {regular} AS regular_people,
        SUM({first}) AS first_time_people
    FROM attendance_reachcell c JOIN event_sessions es ON es.r_event = c.event_id
    WHERE c.programme_id = %s
    GROUP BY {cells_group}c.gender, c.age_band, c.profile
    UNION ALL
    SELECT {reach_key}r.gender, r.age_band, r.profile, 0, 0, 0, 0, COUNT(DISTINCT r.person), 0
    FROM event_sessions es CROSS JOIN LATERAL (
        SELECT * FROM attendance_personreach r WHERE r.event_id = es.r_event
            AND r.sessions >= CAST(CEIL(%s * es.held / 100.0) AS integer) OFFSET 0
    ) AS r
    WHERE {distinct_regular} AND es.held >= 2 AND r.programme_id = %s
    GROUP BY {reach_key}r.gender, r.age_band, r.profile
    UNION ALL
    SELECT {anonymous_key}gender, age_band, profile, SUM(r_headcount), 0, SUM(r_headcount), 0, 0, 0
    FROM ({anonymous}) AS anon GROUP BY {anonymous_key}gender, age_band, profile
)
SELECT {outer_key}gender AS person_gender, age_band AS person_age_band,
    profile AS person_profile,
    CAST(SUM(attendances) AS BIGINT) AS attendances,
    CAST(SUM(registered_people) AS BIGINT) AS registered_people,
    CAST(SUM(anonymous_people) AS BIGINT) AS anonymous_people,
    CAST(SUM(returning_people) AS BIGINT) AS returning_people,
    CAST(SUM(regular_people) AS BIGINT) AS regular_people,
    CAST(SUM(first_time_people) AS BIGINT) AS first_time_people
FROM cells GROUP BY {outer_key}gender, age_band, profile"""


def reach_answers(scope, level: str | None) -> bool:
    """Whether the reach table answers these cells: a programme's own figures, unfiltered, in
    totals or per event."""
    return (
        scope.programme is not None
        and scope.event is None
        and scope.history_programme is None
        and scope.filters.per_event
        and not any(scope.filters.as_dict().values())
        and level in (None, "event")
    )


def reach_cells(scope, level: str | None) -> list[dict]:
    """`tallied_cells` of a programme's unfiltered totals (`level` None) or per event."""
    per_event = level == "event"
    held = scope_sessions(scope).values(r_event=F("event_id"), r_session=F("pk")).order_by()
    held_sql, held_params = held.query.sql_with_params()
    key = F("event_id") if per_event else None
    anonymous_sql, anonymous_params = _anonymous_rows(scope, key).query.sql_with_params()
    sql = REACH_CELLS_SQL.format(
        held=held_sql,
        anonymous=anonymous_sql,
        cells_key="c.event_id AS g_key, " if per_event else "",
        cells_group="c.event_id, " if per_event else "",
        reach_key="r.event_id, " if per_event else "",
        anonymous_key="g_key, " if per_event else "",
        outer_key="g_key, " if per_event else "",
        people="c.people" if per_event else "c.counted_once",
        returners="c.returners" if per_event else "c.once_returners",
        first="c.first_here" if per_event else "c.counted_once",
        regular=(
            "SUM(c.people) FILTER (WHERE es.held >= 2 AND 100 * c.sessions >= %s * es.held)"
            if per_event
            else "0"
        ),
        distinct_regular="false" if per_event else "true",
    )
    percent = scope.regular_percent
    programme = scope.programme.pk
    params = (
        *held_params,
        *((percent,) if per_event else ()),
        programme,
        percent,
        programme,
        *anonymous_params,
    )
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def tallies_kept() -> bool:
    """Whether the database keeps the tallies: the triggers are PostgreSQL's (migration
    attendance 0009). On SQLite (`make run`'s embedded default) figures are read from the rows."""
    return connections[read_alias()].vendor == "postgresql"


@contextmanager
def figures_transaction():
    """The figure queries of one page in one transaction, after the reach queue is flushed,
    without JIT compilation (which costs more than these queries over tens of thousands of tally
    rows take to run) and with the memory their per-person hash tables need; both settings end
    with the transaction."""
    alias = read_alias()
    if connections[alias].vendor != "postgresql":
        with transaction.atomic(using=alias):
            yield
        return
    if alias == DEFAULT_DB_ALIAS:
        # The people admitted, linked or merged since the last flush, recomputed first, so that
        # the reach rows read below count every committed write. A replica is not written to:
        # it serves the reach as of the beat's last flush it has replayed (seconds old).
        reach_flush()
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        # One statement: JIT off, and memory for the per-person hash tables (tens of
        # thousands of people) so that they are not spilled to disk.
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
        )
        yield


def tallied_cells(scope, key=None, *, per_event: bool = True) -> list[dict]:
    """`scope.demographic_cells` from the tallies: one row per (group key, gender, age band,
    profile), in one query. `per_event`: the key is a column of the event (or there is none)."""
    tickets_sql, tickets_params = _ticket_rows(scope, key, per_event).query.sql_with_params()
    anonymous_sql, anonymous_params = _anonymous_rows(scope, key).query.sql_with_params()
    held = scope_sessions(scope).values(r_event=F("event_id"), r_session=F("pk")).order_by()
    held_sql, held_params = held.query.sql_with_params()
    first_sql, first_params = _first_seen(scope)
    key_sql = "g_key, " if key is not None else ""
    sql = TALLY_CELLS_SQL.format(
        tickets=tickets_sql,
        anonymous=anonymous_sql,
        held=held_sql,
        first_seen=first_sql,
        key=key_sql,
        summed=CELLS_SUMMED.format(key=key_sql),
    )
    params = (
        *tickets_params,
        *anonymous_params,
        *held_params,
        *first_params,
        scope.regular_percent,
    )
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# One counted row per session: a lateral probe runs once per session (a correlated subquery
# in `pk IN (...)` ran twice, once to group the ids and once to read them).
HELD_ROWS_SQL = """
SELECT first_row.id FROM ({sessions}) AS s CROSS JOIN LATERAL (
    SELECT a.id FROM attendance_attendance a
    WHERE a.session_id = s.r_session AND a.voided_at IS NULL LIMIT 1
) AS first_row"""


def held_rows(scope) -> QuerySet:
    """One counted attendance row per held session of the scope: `held_counts` over these gives
    the events and sessions held (and each group's labels) without reading every row."""
    sessions_sql, sessions_params = (
        _sessions(scope).values(r_session=F("pk")).order_by().query.sql_with_params()
    )
    return Attendance.objects.filter(
        # The ORM compiles the sessions query; its values stay bound parameters.
        pk__in=RawSQL(HELD_ROWS_SQL.format(sessions=sessions_sql), sessions_params)  # noqa: S611
    )
