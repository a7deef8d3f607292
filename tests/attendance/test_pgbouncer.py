"""The door and the figures through PgBouncer in transaction mode (DB_PREPARED_STATEMENTS=0):
a pool of 4 server connections shared by every thread, so consecutive transactions of one
Django connection land on different server sessions. Exactly one admission in a same-ticket
storm, exact tallies and figures under concurrent admissions, and the traffic seen by
PgBouncer's own statistics."""

import functools
import uuid
from pathlib import Path

import pytest
from django.db import connection

from attendance.models import Attendance
from attendance.services.counted import CountedGroup, walk_in_record
from attendance.services.scans import checkin_scan
from attendance.tallies import tallies_check
from reporting.selectors import figures_for_programme
from tests.concurrency import run_together
from tests.factories import TicketFactory
from tests.pgbouncer import BINARY, admin_rows, direct_address, free_port, pgbouncer_running

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("door_open")]

POOL_SIZE = 4


@pytest.fixture
def bouncer(transactional_db, settings):
    """Every new connection of this process goes through PgBouncer until the test ends."""
    if not Path(BINARY).exists():
        pytest.skip("pgbouncer is not installed (Debian package pgbouncer)")
    database = connection.settings_dict
    saved = {key: database.get(key) for key in ("HOST", "PORT", "OPTIONS", "CONN_MAX_AGE")}
    saved_cursors = database.get("DISABLE_SERVER_SIDE_CURSORS")
    port = free_port(8850, 8859)
    server = direct_address(database)
    with pgbouncer_running(
        port=port,
        server_host=server["HOST"],
        server_port=int(server["PORT"]),
        user=database["USER"] or "postgres",
        pool_size=POOL_SIZE,
    ):
        connection.close()
        settings.DB_PREPARED_STATEMENTS = False
        database.update(
            HOST="127.0.0.1",
            PORT=str(port),
            OPTIONS={k: v for k, v in saved["OPTIONS"].items() if k != "prepare_threshold"},
            DISABLE_SERVER_SIDE_CURSORS=True,
        )
        try:
            yield {"port": port, "user": database["USER"] or "postgres", "name": database["NAME"]}
        finally:
            connection.close()
            database.update(saved)
            database["DISABLE_SERVER_SIDE_CURSORS"] = saved_cursors


def transactions_through(bouncer) -> int:
    stats = admin_rows(bouncer["port"], bouncer["user"], "SHOW STATS")
    return sum(row["total_xact_count"] for row in stats if row["database"] == bouncer["name"])


def scan(token, session, ticket):
    return checkin_scan(
        token=token, text=ticket.secret, session=session, gate="A", nonce=uuid.uuid4()
    )["status"]


def test_a_same_ticket_storm_through_pgbouncer_admits_once(
    bouncer, token, session, ticket, record_property
):
    before = transactions_through(bouncer)

    statuses, errors = run_together([functools.partial(scan, token, session, ticket)] * 40)

    assert errors == []
    assert statuses.count("admitted") == 1
    assert statuses.count("already_admitted") == 39
    assert Attendance.objects.filter(ticket=ticket, session=session).count() == 1
    assert transactions_through(bouncer) - before >= 40
    pools = admin_rows(bouncer["port"], bouncer["user"], "SHOW POOLS")
    ours = [pool for pool in pools if pool["database"] == bouncer["name"]]
    assert ours and all(pool["pool_mode"] == "transaction" for pool in ours)
    record_property("threads", 40)
    record_property("admitted", statuses.count("admitted"))
    record_property("server_connections", POOL_SIZE)


def test_admissions_tallies_and_figures_through_pgbouncer(bouncer, token, session):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(16)]
    group = CountedGroup(gender="female", age_band="25-59", profile="migrant", count=1)

    def walk_in():
        return walk_in_record(token=token, session=session, groups=[group], nonce=uuid.uuid4())

    jobs = [functools.partial(scan, token, session, ticket) for ticket in tickets]
    _results, errors = run_together(jobs + [walk_in] * 8)

    assert errors == []
    assert not any(tallies_check().values())
    figures = figures_for_programme(programme=session.event.programme)
    assert (figures.totals.registered_people, figures.totals.anonymous_visits) == (16, 8)
    assert figures == figures_for_programme(programme=session.event.programme, source="rows")
