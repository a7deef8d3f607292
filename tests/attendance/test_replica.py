"""Reporting reads on a real streaming read replica (DATABASE_REPLICA_URL): the figures are read
from the replica, and never one's own writes: once a request (or reporting block) wrote, its
reads stay on the primary, also while the replica is behind. Skipped, with PostgreSQL's reason,
when the pair cannot be started."""

import copy
import subprocess
import uuid

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext

from attendance.services.counted import CountedGroup, walk_in_record
from core.replica import REPLICA, reporting_reads
from reporting.selectors import figures_for_programme
from tests.pgbouncer import direct_address, free_port
from tests.replica import primary_and_replica, replica_caught_up, set_replay_paused

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def pair(transactional_db, settings):
    """The default connection on a fresh primary with the test schema, a `replica` alias on its
    streaming replica, and the replica router, for this test only."""
    database = connections["default"].settings_dict
    ports = free_port(8870, 8879), free_port(8880, 8889)
    try:
        started = primary_and_replica(
            schema_from={**database, **direct_address(database)},
            primary_port=ports[0],
            replica_port=ports[1],
        )
        cluster = started.__enter__()
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        pytest.skip(f"no streaming replica: {error} {detail.decode(errors='replace')[-300:]}")
    saved = {key: database[key] for key in ("HOST", "PORT", "NAME")}
    connections["default"].close()
    database.update(HOST="127.0.0.1", PORT=str(ports[0]), NAME=cluster["name"])
    replica = copy.deepcopy(database)
    replica["PORT"] = str(ports[1])
    # A connection of this thread only, not in the configured aliases: Django's test case lets
    # such a dynamically created connection through.
    connections[REPLICA] = DatabaseWrapper(replica, REPLICA)
    settings.DATABASES = {**settings.DATABASES, REPLICA: replica}
    # Django's test signal re-reads the routers when this setting changes, and again when the
    # settings fixture restores it.
    settings.DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    try:
        yield cluster
    finally:
        for alias in ("default", REPLICA):
            connections[alias].close()
        del connections[REPLICA]
        database.update(saved)
        started.__exit__(None, None, None)


def walk_in(token, session):
    group = CountedGroup(gender="female", age_band="25-59", profile="migrant", count=1)
    return walk_in_record(token=token, session=session, groups=[group], nonce=uuid.uuid4())


def anonymous_visits(programme) -> int:
    return figures_for_programme(programme=programme).totals.anonymous_visits


def test_reporting_reads_go_to_the_replica_but_never_miss_own_writes(
    pair, token, session, record_property
):
    programme = session.event.programme
    walk_in(token, session)
    replica_caught_up(pair["primary_port"], pair["replica_port"])

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
        reporting_reads(),
    ):
        assert anonymous_visits(programme) == 1
    assert len(on_replica) > 5
    assert on_primary.captured_queries == []
    record_property("figures_queries_on_replica", len(on_replica))
    record_property("figures_queries_on_primary", len(on_primary))

    # The replica falls behind: a fresh reporting read sees its older state, a block that wrote
    # reads its own write from the primary.
    set_replay_paused(pair["replica_port"], True)
    with reporting_reads():
        walk_in(token, session)
        assert anonymous_visits(programme) == 2
    with reporting_reads():
        assert anonymous_visits(programme) == 1
    set_replay_paused(pair["replica_port"], False)
    replica_caught_up(pair["primary_port"], pair["replica_port"])
    with reporting_reads():
        assert anonymous_visits(programme) == 2
    # Outside reporting reads, always the primary.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert anonymous_visits(programme) == 2
    assert on_replica.captured_queries == []
