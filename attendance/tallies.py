"""Figure tallies (TicketTally, AnonymousTally) kept by PostgreSQL triggers on attendance rows.

The guarantee: after any committed write to attendance rows, whichever code wrote them (a scan,
a walk-in, a class headcount, a paper list, a sync replay, a void, a bulk INSERT … SELECT), the
tallies equal a recomputation from the counted rows. The triggers are statement-level AFTER
triggers with transition tables, so they run in the writing transaction (a rolled-back
admission leaves no tally behind) and a bulk insert updates each tally once, not once per row.
Changes are applied as increments and decrements under the tally row's lock, which commute, so
concurrent admissions of different people never wait on each other and never lose a count; the
one non-additive value, a ticket's first session date, is recomputed from its rows when one of
them stops counting or when a session is moved to another date.

`tallies_check()` compares the tallies with a recomputation; `tallies_rebuild()` recomputes them
(the `figures_tallies` management command calls both). Migration 0009 holds a copy of this SQL:
a change here needs a migration of its own that installs it."""

from django.db import connection, transaction

from core.pgtriggers import Trigger, create_triggers, drop_triggers, trigger_function

from .reach import reach_check, reach_rebuild

_ADD = """
    INSERT INTO attendance_tickettally AS t (ticket_id, event_id, sessions, headcount, first_date)
    SELECT n.ticket_id, MIN(n.event_id), COUNT(*), SUM(n.headcount), MIN(s.date)
    FROM {rows} n JOIN events_session s ON s.id = n.session_id
    WHERE n.ticket_id IS NOT NULL AND n.voided_at IS NULL
    GROUP BY n.ticket_id
    ON CONFLICT (ticket_id) DO UPDATE SET
        sessions = t.sessions + EXCLUDED.sessions,
        headcount = t.headcount + EXCLUDED.headcount,
        first_date = LEAST(t.first_date, EXCLUDED.first_date);
    INSERT INTO attendance_anonymoustally AS c
        (session_id, event_id, gender, age_band, profile, rows, headcount)
    SELECT n.session_id, MIN(n.event_id), n.gender, n.age_band, n.profile, COUNT(*),
        SUM(n.headcount)
    FROM {rows} n
    WHERE n.ticket_id IS NULL AND n.voided_at IS NULL
    GROUP BY n.session_id, n.gender, n.age_band, n.profile
    ON CONFLICT (session_id, gender, age_band, profile) DO UPDATE SET
        rows = c.rows + EXCLUDED.rows,
        headcount = c.headcount + EXCLUDED.headcount;
"""

_REMOVE = """
    UPDATE attendance_tickettally t
    SET sessions = t.sessions - d.n, headcount = t.headcount - d.h
    FROM (SELECT ticket_id, COUNT(*) AS n, SUM(headcount) AS h FROM removed
          WHERE ticket_id IS NOT NULL AND voided_at IS NULL GROUP BY ticket_id) d
    WHERE t.ticket_id = d.ticket_id;
    UPDATE attendance_anonymoustally c
    SET rows = c.rows - d.n, headcount = c.headcount - d.h
    FROM (SELECT session_id, gender, age_band, profile, COUNT(*) AS n, SUM(headcount) AS h
          FROM removed WHERE ticket_id IS NULL AND voided_at IS NULL
          GROUP BY session_id, gender, age_band, profile) d
    WHERE c.session_id = d.session_id AND c.gender = d.gender AND c.age_band = d.age_band
        AND c.profile = d.profile;
"""

# After removals (and any additions of the same statement): a ticket's first date from its
# remaining counted rows, and tallies that no longer count anything deleted.
_SETTLE = """
    UPDATE attendance_tickettally t
    SET first_date = COALESCE(
        (SELECT MIN(s.date) FROM attendance_attendance a
         JOIN events_session s ON s.id = a.session_id
         WHERE a.ticket_id = t.ticket_id AND a.voided_at IS NULL),
        t.first_date)
    WHERE t.ticket_id IN (SELECT ticket_id FROM removed WHERE ticket_id IS NOT NULL);
    DELETE FROM attendance_tickettally
    WHERE sessions = 0 AND ticket_id IN (SELECT ticket_id FROM removed);
    DELETE FROM attendance_anonymoustally c
    USING removed r
    WHERE c.rows = 0 AND r.ticket_id IS NULL AND c.session_id = r.session_id
        AND c.gender = r.gender AND c.age_band = r.age_band AND c.profile = r.profile;
"""


_ATTENDANCE = "attendance_attendance"


def _tally(name: str, table: str, event: str, **tables) -> Trigger:
    """A trigger and its function, both named attendance_tally_<name>."""
    return Trigger(f"attendance_tally_{name}", table, event, f"attendance_tally_{name}", **tables)


TRIGGERS = (
    _tally("inserted", _ATTENDANCE, "INSERT", new="added"),
    _tally("updated", _ATTENDANCE, "UPDATE", old="removed", new="added"),
    _tally("deleted", _ATTENDANCE, "DELETE", old="removed"),
    _tally(
        "session_moved",
        "events_session",
        "UPDATE OF date",
        when="OLD.date IS DISTINCT FROM NEW.date",
    ),
)

INSTALL_SQL = "\n".join(
    [
        trigger_function("attendance_tally_inserted", _ADD.format(rows="added")),
        trigger_function("attendance_tally_updated", _REMOVE + _ADD.format(rows="added") + _SETTLE),
        trigger_function("attendance_tally_deleted", _REMOVE + _SETTLE),
        trigger_function(
            "attendance_tally_session_moved",
            """
    UPDATE attendance_tickettally t
    SET first_date = (SELECT MIN(s.date) FROM attendance_attendance a
                      JOIN events_session s ON s.id = a.session_id
                      WHERE a.ticket_id = t.ticket_id AND a.voided_at IS NULL)
    WHERE t.ticket_id IN (SELECT a.ticket_id FROM attendance_attendance a
                          WHERE a.session_id = NEW.id
                          AND a.ticket_id IS NOT NULL AND a.voided_at IS NULL);
""",
        ),
        create_triggers(TRIGGERS),
    ]
)

UNINSTALL_SQL = drop_triggers(TRIGGERS)

# The tallies as a recomputation from the counted rows gives them.
_RECOMPUTED_TICKETS = """
    SELECT a.ticket_id, MIN(a.event_id) AS event_id, COUNT(*) AS sessions,
        SUM(a.headcount) AS headcount, MIN(s.date) AS first_date
    FROM attendance_attendance a JOIN events_session s ON s.id = a.session_id
    WHERE a.ticket_id IS NOT NULL AND a.voided_at IS NULL GROUP BY a.ticket_id
"""
_RECOMPUTED_CELLS = """
    SELECT a.session_id, MIN(a.event_id) AS event_id, a.gender, a.age_band, a.profile,
        COUNT(*) AS rows, SUM(a.headcount) AS headcount
    FROM attendance_attendance a WHERE a.ticket_id IS NULL AND a.voided_at IS NULL
    GROUP BY a.session_id, a.gender, a.age_band, a.profile
"""
_STORED_TICKETS = (
    "SELECT ticket_id, event_id, sessions, headcount, first_date FROM attendance_tickettally"
)
_STORED_CELLS = (
    "SELECT session_id, event_id, gender, age_band, profile, rows, headcount "
    "FROM attendance_anonymoustally"
)
REBUILD_SQL = (
    "LOCK TABLE attendance_attendance IN SHARE MODE;"  # noqa: S608 (constants, no input)
    " DELETE FROM attendance_tickettally; DELETE FROM attendance_anonymoustally;"
    " INSERT INTO attendance_tickettally (ticket_id, event_id, sessions, headcount, first_date)"
    + _RECOMPUTED_TICKETS
    + "; INSERT INTO attendance_anonymoustally"
    " (session_id, event_id, gender, age_band, profile, rows, headcount)" + _RECOMPUTED_CELLS + ";"
)


def tallies_check() -> dict[str, int]:
    """How many tally rows differ from a recomputation from the counted attendance rows (rows
    missing, extra or with other values), per tally. All zero when the tallies are exact."""
    differences = {}
    with connection.cursor() as cursor:
        for name, stored, recomputed in [
            ("ticket_tallies", _STORED_TICKETS, _RECOMPUTED_TICKETS),
            ("anonymous_tallies", _STORED_CELLS, _RECOMPUTED_CELLS),
        ]:
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM ({stored} EXCEPT {recomputed}) AS extra)"  # noqa: S608
                f" + (SELECT COUNT(*) FROM ({recomputed} EXCEPT {stored}) AS missing)"
            )
            differences[name] = cursor.fetchone()[0]
    differences.update(reach_check())
    return differences


def tallies_rebuild() -> None:
    """Recompute every tally from the counted rows. Attendance writes wait meanwhile (a SHARE
    lock), so no admission slips between the recomputation and the swap."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL)
        reach_rebuild()
