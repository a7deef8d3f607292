"""Programme reach (PersonReach): one row per registered person and event, so that distinct-people
figures never resolve tickets to people at read time.

Two halves, so that the door pays almost nothing for it:
- Writes queue. PostgreSQL statement-level triggers on everything a row is computed from
  (attendance rows, links, a participant's merge pointer or demographics, an unlinked attendee's
  demographics, a session's date, an event's programme), whichever code wrote it, insert the
  people the write touches into `attendance_reachpending`, in the writing transaction: a few
  index probes and one small insert. A rolled-back write queues nothing.
- Reads flush. `reach_flush()` takes the committed queue and recomputes those people's rows from
  scratch (`attendance_reach_refresh`): a person has a handful of tickets, so this is a few index
  probes, and a recomputation is right whatever the change was (a merge, its undo, a void).
  Figures flush on the primary before they read (reporting/figures/tallied.py), and the beat
  flushes every few seconds so that the queue a figures page finds stays short.

The guarantee: after `reach_flush()` returns, the table equals a recomputation (`reach_check()`)
for every write committed before the flush began. A figures page read from the primary is
therefore exact; one read from the replica is as fresh as the replica.

Concurrency: a flush deletes the queued rows it will recompute (rows of a transaction still in
flight are invisible and wait for the next flush), then takes a transaction-level advisory lock
per person (in one order; more than MANY_PEOPLE: a lock on the whole table), then reads with a
fresh snapshot (READ COMMITTED, one snapshot per statement), so an admission of the same person
that committed meanwhile is seen. Two flushes take disjoint queue rows and wait for each other
only on a shared person. The cells (ReachCell) take signed increments in key order, so two
flushes changing one cell cannot deadlock. Admissions never touch the reach tables.

Migrations 0010 and 0011 hold copies of this SQL: a change here needs a migration of its own."""

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from core.pgtriggers import Trigger, create_triggers, drop_triggers, trigger_function

# Advisory lock class of the reach recomputation (any constant not used elsewhere), and the number
# of people above which one recomputation locks the table instead of each person.
LOCK_CLASS = 23_101
MANY_PEOPLE = 64

# The reach rows of everyone ({who_filter} empty) or of the people in the array `people`.
_REACH_SELECT = """
WITH who AS (
    SELECT tk.id AS ticket_id,
        COALESCE(p.merged_into_id, p.id, -tk.attendee_id) AS person,
        COALESCE(m.gender, p.gender, a.gender) AS gender,
        COALESCE(m.age_band, p.age_band, a.age_band) AS age_band,
        COALESCE(m.profile, p.profile, a.profile) AS profile
    FROM events_ticket tk
    JOIN events_attendee a ON a.id = tk.attendee_id
    LEFT JOIN participants_participantlink l ON l.attendee_id = a.id
    LEFT JOIN participants_participant p ON p.id = l.participant_id
    LEFT JOIN participants_participant m ON m.id = p.merged_into_id
    {who_filter}
),
per_event AS (
    SELECT e.programme_id, r.event_id, w.person, w.gender, w.age_band, w.profile,
        COUNT(DISTINCT r.session_id) AS sessions, SUM(r.headcount) AS headcount,
        MIN(s.date) AS first_date
    FROM who w
    JOIN attendance_attendance r ON r.ticket_id = w.ticket_id AND r.voided_at IS NULL
    JOIN events_session s ON s.id = r.session_id
    JOIN events_event e ON e.id = r.event_id
    {person_filter}
    GROUP BY e.programme_id, r.event_id, w.person, w.gender, w.age_band, w.profile
),
ranked AS (
    SELECT *, COUNT(*) OVER person_programme AS events,
        first_date = MIN(first_date) OVER person_programme AS first_here
    FROM per_event
    WINDOW person_programme AS (PARTITION BY programme_id, person)
)
SELECT programme_id, event_id, person, gender, age_band, profile, sessions, headcount,
    first_date, events, first_here,
    event_id = MIN(CASE WHEN first_here THEN event_id END)
        OVER (PARTITION BY programme_id, person) AS counted_once
FROM ranked
"""
_COLUMNS = (
    "programme_id, event_id, person, gender, age_band, profile, sessions, headcount, first_date,"
    " events, first_here, counted_once"
)
RECOMPUTED = _REACH_SELECT.format(who_filter="", person_filter="")
# The tickets of the people asked for: through their links (a participant and those merged into
# it), and unlinked attendees by their negative key; the person filter drops tickets that now
# resolve to someone else (a participant merged away, an attendee linked since).
_PEOPLE_SELECT = _REACH_SELECT.format(
    who_filter="""WHERE tk.attendee_id IN (
        SELECT l2.attendee_id FROM participants_participantlink l2
        JOIN participants_participant p2 ON p2.id = l2.participant_id
        WHERE p2.id = ANY(people) OR p2.merged_into_id = ANY(people)
        UNION ALL SELECT -x FROM unnest(people) AS x WHERE x < 0)""",
    # A hashed semi-join: an array of a hundred thousand people (a bulk insert) is not searched
    # once per row.
    person_filter="WHERE w.person IN (SELECT unnest(people))",
)

# Who a ticket is, as the figures count them.
_TICKET_PERSON = """
    SELECT COALESCE(p.merged_into_id, l.participant_id, -tk.attendee_id)
    FROM events_ticket tk
    LEFT JOIN participants_participantlink l ON l.attendee_id = tk.attendee_id
    LEFT JOIN participants_participant p ON p.id = l.participant_id
    WHERE tk.id IN ({tickets})"""
# Who an attendee is.
_ATTENDEE_PERSON = """
    SELECT COALESCE(p.merged_into_id, l.participant_id, -a.id)
    FROM events_attendee a
    LEFT JOIN participants_participantlink l ON l.attendee_id = a.id
    LEFT JOIN participants_participant p ON p.id = l.participant_id
    WHERE a.id IN ({attendees})"""


def _function(name: str, body: str) -> str:
    """A trigger function queueing the people that `body` (one column) names."""
    return trigger_function(
        name,
        "\n    INSERT INTO attendance_reachpending (person)\n"  # noqa: S608 (constants)
        f"    SELECT DISTINCT person FROM ({body}) AS touched(person) WHERE person IS NOT NULL;\n",
    )


# PersonReach rows added up per cell: event, demographics, sessions attended and a stripe of
# people (person mod STRIPES), so that admissions of different people seldom wait on one row.
STRIPES = 8
CELL_KEYS = "programme_id, event_id, gender, age_band, profile, sessions, stripe"
_CELL_VALUES = "people, headcount, returners, first_here, counted_once, once_returners"
# The cell sums of reach rows `r` carrying a `sign` (+1 added, -1 removed).
_CELL_SUMS = """SUM(sign), SUM(sign * headcount), SUM(sign * (events >= 2)::int),
        SUM(sign * first_here::int), SUM(sign * counted_once::int),
        SUM(sign * (counted_once AND events >= 2)::int)"""
_STRIPE = f"((person % {STRIPES}) + {STRIPES}) % {STRIPES} AS stripe"

_REFRESH = f"""
CREATE TYPE attendance_reach_row AS (programme_id bigint, event_id bigint, person bigint,
    gender varchar(20), age_band varchar(10), profile varchar(20), sessions bigint,
    headcount bigint, first_date date, events bigint, first_here boolean, counted_once boolean);
CREATE OR REPLACE FUNCTION attendance_reach_refresh(people bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    lock_key integer;
    fresh attendance_reach_row[];
BEGIN
    people := ARRAY(SELECT DISTINCT x FROM unnest(people) AS x WHERE x IS NOT NULL);
    IF cardinality(people) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(people) > {MANY_PEOPLE} THEN
        -- A bulk write (an import, a key rotation): the whole table rather than a lock per
        -- person, which would exhaust the lock table.
        LOCK TABLE attendance_personreach IN SHARE ROW EXCLUSIVE MODE;
    ELSE
        -- Waits for a bulk recomputation in progress, as it waits for this one.
        LOCK TABLE attendance_personreach IN ROW EXCLUSIVE MODE;
        FOR lock_key IN SELECT DISTINCT hashint8(x) FROM unnest(people) AS x ORDER BY 1 LOOP
            PERFORM pg_advisory_xact_lock({LOCK_CLASS}, lock_key);
        END LOOP;
    END IF;
    fresh := ARRAY(SELECT ROW({_COLUMNS})::attendance_reach_row FROM ({_PEOPLE_SELECT}) AS q);
    -- The cells: the people's rows now minus their rows before, only where something changed,
    -- in key order (two recomputations lock shared cells in one order: no deadlock).
    INSERT INTO attendance_reachcell AS c ({CELL_KEYS}, {_CELL_VALUES})
    SELECT {CELL_KEYS}, {_CELL_SUMS}
    FROM (
        SELECT -1 AS sign, r.*, {_STRIPE} FROM (
            SELECT {_COLUMNS} FROM attendance_personreach WHERE person = ANY(people)
        ) AS r
        UNION ALL SELECT 1, f.*, {_STRIPE} FROM unnest(fresh) AS f
    ) AS d
    GROUP BY {CELL_KEYS}
    HAVING SUM(sign) <> 0 OR SUM(sign * headcount) <> 0
        OR SUM(sign * (events >= 2)::int) <> 0 OR SUM(sign * first_here::int) <> 0
        OR SUM(sign * counted_once::int) <> 0
        OR SUM(sign * (counted_once AND events >= 2)::int) <> 0
    ORDER BY {CELL_KEYS}
    ON CONFLICT ({CELL_KEYS}) DO UPDATE SET
        people = c.people + EXCLUDED.people,
        headcount = c.headcount + EXCLUDED.headcount,
        returners = c.returners + EXCLUDED.returners,
        first_here = c.first_here + EXCLUDED.first_here,
        counted_once = c.counted_once + EXCLUDED.counted_once,
        once_returners = c.once_returners + EXCLUDED.once_returners;
    DELETE FROM attendance_personreach WHERE person = ANY(people);
    INSERT INTO attendance_personreach ({_COLUMNS})
    SELECT {_COLUMNS} FROM unnest(fresh);
END $$;
"""  # noqa: S608 (constants, no input)

# Up to `batch` queued people (oldest first; NULL: all), taken and recomputed; returns how many. A queue row
# another flush has taken but not committed is waited for, never skipped: when the call returns,
# everything queued before it began is counted.
_FLUSH = """
CREATE OR REPLACE FUNCTION attendance_reach_flush(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    people bigint[];
BEGIN
    WITH taken AS (
        DELETE FROM attendance_reachpending WHERE id IN (
            SELECT id FROM attendance_reachpending ORDER BY id LIMIT batch)
        RETURNING person
    )
    SELECT array_agg(DISTINCT person) INTO people FROM taken;
    PERFORM attendance_reach_refresh(COALESCE(people, '{}'));
    RETURN COALESCE(cardinality(people), 0);
END $$;
"""

_CHANGED_ROWS = "SELECT ticket_id FROM changed WHERE ticket_id IS NOT NULL"
_MOVED_ROWS = """SELECT o.ticket_id FROM removed o JOIN added n ON n.id = o.id
        WHERE o.ticket_id IS NOT NULL AND ((o.voided_at IS NULL) <> (n.voided_at IS NULL)
            OR o.headcount <> n.headcount OR o.session_id <> n.session_id
            OR o.event_id <> n.event_id OR o.ticket_id IS DISTINCT FROM n.ticket_id)
        UNION ALL SELECT n.ticket_id FROM removed o JOIN added n ON n.id = o.id
        WHERE n.ticket_id IS DISTINCT FROM o.ticket_id AND n.ticket_id IS NOT NULL"""
_LINK_PEOPLE = """
    SELECT COALESCE(p.merged_into_id, p.id) FROM {rows} c
    JOIN participants_participant p ON p.id = c.participant_id
    UNION ALL SELECT -c.attendee_id FROM {rows} c"""
_PARTICIPANT_PEOPLE = """
    SELECT v.person FROM removed o JOIN added n ON n.id = o.id,
        LATERAL (VALUES (COALESCE(o.merged_into_id, o.id)), (COALESCE(n.merged_into_id, n.id)))
            AS v(person)
    WHERE o.merged_into_id IS DISTINCT FROM n.merged_into_id OR o.gender <> n.gender
        OR o.age_band <> n.age_band OR o.profile <> n.profile"""
_ATTENDEE_CHANGED = """SELECT n.id FROM removed o JOIN added n ON n.id = o.id
        WHERE o.gender <> n.gender OR o.age_band <> n.age_band OR o.profile <> n.profile"""
_ROW_TICKETS = """SELECT a.ticket_id FROM attendance_attendance a
        WHERE a.{column} = NEW.id AND a.ticket_id IS NOT NULL AND a.voided_at IS NULL"""

_ATTENDANCE, _LINKS = "attendance_attendance", "participants_participantlink"
# A statement's rows before and after an update.
_REPLACED = {"old": "removed", "new": "added"}


def _reach(name: str, table: str, event: str, function: str, **tables) -> Trigger:
    return Trigger(
        f"attendance_reach_{name}", table, event, f"attendance_reach_{function}", **tables
    )


TRIGGERS = (
    _reach("inserted", _ATTENDANCE, "INSERT", "rows_changed", new="changed"),
    _reach("updated", _ATTENDANCE, "UPDATE", "rows_updated", **_REPLACED),
    _reach("deleted", _ATTENDANCE, "DELETE", "rows_changed", old="changed"),
    _reach("linked", _LINKS, "INSERT", "links_changed", new="changed"),
    _reach("relinked", _LINKS, "UPDATE", "links_updated", **_REPLACED),
    _reach("unlinked", _LINKS, "DELETE", "links_changed", old="changed"),
    _reach(
        "participants", "participants_participant", "UPDATE", "participants_updated", **_REPLACED
    ),
    _reach("attendees", "events_attendee", "UPDATE", "attendees_updated", **_REPLACED),
    _reach(
        "session_moved",
        "events_session",
        "UPDATE OF date",
        "session_moved",
        when="OLD.date IS DISTINCT FROM NEW.date",
    ),
    _reach(
        "event_moved",
        "events_event",
        "UPDATE OF programme_id",
        "event_moved",
        when="OLD.programme_id IS DISTINCT FROM NEW.programme_id",
    ),
)

# What migration 0011 replaced: the flush, and trigger functions that queue instead of recompute.
QUEUE_SQL = "".join(
    [
        _FLUSH,
        _function("attendance_reach_rows_changed", _TICKET_PERSON.format(tickets=_CHANGED_ROWS)),
        _function("attendance_reach_rows_updated", _TICKET_PERSON.format(tickets=_MOVED_ROWS)),
        _function("attendance_reach_links_changed", _LINK_PEOPLE.format(rows="changed")),
        _function(
            "attendance_reach_links_updated",
            _LINK_PEOPLE.format(rows="removed")
            + "\n    UNION ALL"
            + _LINK_PEOPLE.format(rows="added"),
        ),
        _function("attendance_reach_participants_updated", _PARTICIPANT_PEOPLE),
        _function(
            "attendance_reach_attendees_updated",
            _ATTENDEE_PERSON.format(attendees=_ATTENDEE_CHANGED),
        ),
        _function(
            "attendance_reach_session_moved",
            _TICKET_PERSON.format(tickets=_ROW_TICKETS.format(column="session_id")),
        ),
        _function(
            "attendance_reach_event_moved",
            _TICKET_PERSON.format(tickets=_ROW_TICKETS.format(column="event_id")),
        ),
    ]
)
INSTALL_SQL = "".join(
    [
        _REFRESH,
        QUEUE_SQL,
        create_triggers(TRIGGERS),
    ]
)

UNINSTALL_SQL = drop_triggers(TRIGGERS) + (
    "DROP FUNCTION IF EXISTS attendance_reach_flush(integer);\n"
    "DROP FUNCTION IF EXISTS attendance_reach_refresh(bigint[]);\n"
    "DROP TYPE IF EXISTS attendance_reach_row;\n"
)

_STORED = f"SELECT {_COLUMNS} FROM attendance_personreach"  # noqa: S608 (constants)
# People still queued are compared at the next flush: a write committed after the check's flush
# queued them in its own transaction, so they are in the same snapshot as its rows.
_SETTLED = " WHERE person NOT IN (SELECT person FROM attendance_reachpending)"
_CELLS_OF = (
    f"SELECT {CELL_KEYS}, {_CELL_SUMS} FROM"  # noqa: S608 (constants)
    f" (SELECT 1 AS sign, r.*, {_STRIPE} FROM ({{rows}}) AS r)"
    f" AS d GROUP BY {CELL_KEYS}"
)
# Cells whose people all left stay, at zero: compared without them.
_STORED_CELLS = (
    f"SELECT {CELL_KEYS}, {_CELL_VALUES} FROM attendance_reachcell"  # noqa: S608 (constants)
    " WHERE people <> 0 OR headcount <> 0 OR returners <> 0 OR first_here <> 0"
    " OR counted_once <> 0 OR once_returners <> 0"
)
# Every write that the triggers follow waits meanwhile, and so does a flush: nothing slips
# between the recomputation and the swap.
_LOCK = (
    "LOCK TABLE attendance_attendance, participants_participantlink, participants_participant,"
    " events_attendee, events_session, events_event IN SHARE MODE;"
    " LOCK TABLE attendance_personreach, attendance_reachcell IN SHARE ROW EXCLUSIVE MODE;"
)
REBUILD_SQL = (
    # People still queued stay queued: their next recomputation finds what this one wrote.
    f"{_LOCK} DELETE FROM attendance_personreach; DELETE FROM attendance_reachcell;"  # noqa: S608
    f" INSERT INTO attendance_personreach ({_COLUMNS}) {RECOMPUTED};"
    f" INSERT INTO attendance_reachcell ({CELL_KEYS}, {_CELL_VALUES})"
    f" {_CELLS_OF.format(rows=_STORED)};"
)


def _differences(cursor, stored: str, recomputed: str) -> int:
    cursor.execute(
        f"SELECT (SELECT COUNT(*) FROM (({stored}) EXCEPT ({recomputed})) AS extra)"  # noqa: S608
        f" + (SELECT COUNT(*) FROM (({recomputed}) EXCEPT ({stored})) AS missing)"
    )
    return cursor.fetchone()[0]


# People recomputed per statement by the beat: each batch commits on its own, so a long queue
# (after an import, or with the beat stopped) drains in steps that a timeout does not undo.
FLUSH_BATCH = 5_000


def reach_flush(*, batch: int | None = None) -> int:
    """Bring the reach rows and cells up to date with every write committed before the call (and
    this transaction's own): recompute the people queued since the last flush, on the primary.
    Returns how many people were recomputed.

    `batch` None: the whole queue in one statement (a figures read: one statement whatever the
    queue holds). A number: that many people per statement, each committed on its own when
    called outside a transaction (the beat). Inside a transaction the flush joins it and keeps
    its locks until that transaction ends: figures and the beat call it outside one."""
    flushed = 0
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        while True:
            # LIMIT NULL is no limit.
            cursor.execute("SELECT attendance_reach_flush(%s)", [batch])
            taken = cursor.fetchone()[0]
            flushed += taken
            if batch is None or taken < batch:
                return flushed


def reach_queue() -> dict:
    """How many people wait for the next flush, and since when (None: none)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MIN(queued_at) FROM attendance_reachpending")
        people, oldest = cursor.fetchone()
    return {"people": people, "oldest": oldest}


def reach_differences() -> dict[str, int]:
    """How many reach rows differ from a recomputation from the attendance rows (missing, extra
    or other values), leaving out the people still queued, and how many reach cells differ from
    the sums of the stored rows. Each comparison is one statement (one snapshot), so a write
    committing meanwhile is either queued in it or counted in the rows."""
    with connection.cursor() as cursor:
        return {
            "person_reach": _differences(
                cursor,
                _STORED + _SETTLED,
                f"SELECT * FROM ({RECOMPUTED}) AS r{_SETTLED}",  # noqa: S608 (constants)
            ),
            "reach_cells": _differences(cursor, _STORED_CELLS, _CELLS_OF.format(rows=_STORED)),
        }


def reach_check() -> dict[str, int]:
    """`reach_differences` once the queue is flushed: people a door admits while the check runs
    are left to the next flush, not reported as differences."""
    reach_flush()
    return reach_differences()


def reach_rebuild() -> None:
    """Recompute every reach row and cell."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL)
