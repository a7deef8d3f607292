"""Two application nodes against one PostgreSQL and one Redis (tests/nodes.py): two gunicorn
instances answering a same-ticket storm split between them admit the ticket exactly once, and two
Celery workers draining the same outbox send every reminder exactly once. `make bench`
(BENCH_ONLY=nodes) runs the same at the issue's sizes (10,000 reminders)."""

import pytest
from django.conf import settings
from django.db import connection

from attendance.models import Attendance
from config.celery import app as celery_app
from notifications.models import Message
from tests.nodes import (
    SmsProvider,
    database_url,
    door_create,
    node_environment,
    reminders_create,
    reminders_drain,
    storm,
    web_nodes,
    worker_nodes,
)
from tests.pgbouncer import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SCANS = 100
# 10,000 take about a minute and a half on a shared 2-core machine: the bench runs those.
REMINDERS = 2_000


@pytest.fixture
def node_env():
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    url = database_url(settings.DATABASES["default"], connection.settings_dict["NAME"])
    return node_environment(database_url=url, redis_url=settings.REDIS_URL)


def test_a_storm_split_over_two_web_nodes_admits_the_ticket_once(node_env, record_property):
    door, _event = door_create()
    first = free_port(8920, 8929)
    ports = [first, free_port(first + 1, 8939)]

    with web_nodes(env=node_env, ports=ports):
        result = storm(door=door, ports=ports, scans=SCANS)

    assert result["errors"] == []
    assert result["statuses"] == {"admitted": 1, "already_admitted": SCANS - 1}
    assert all(sum(answers.values()) == SCANS // 2 for answers in result["per_node"].values())
    assert (
        Attendance.objects.filter(session_id=door.session_id, voided_at__isnull=True).count() == 1
    )
    record_property("scans", SCANS)
    record_property("admitted", result["statuses"].get("admitted", 0))
    record_property("attendance_rows", 1)


def test_two_workers_send_each_reminder_exactly_once(node_env, tmp_path, record_property):
    _door, event = door_create()
    keys = reminders_create(event=event, count=REMINDERS)
    celery_app.conf.task_always_eager = False
    try:
        provider = SmsProvider()
        with provider, worker_nodes(envs=provider.worker_envs(node_env), log_dir=tmp_path):
            seconds = reminders_drain(keys=keys)
    finally:
        celery_app.conf.task_always_eager = True

    assert Message.objects.filter(status=Message.Status.SENT).count() == REMINDERS
    assert set(provider.requests) == keys
    assert max(provider.requests.values()) == 1, "a reminder was sent twice"
    # Both workers took their share of the drain.
    assert set(provider.by_node) == {"node1", "node2"}, provider.by_node
    record_property("reminders", REMINDERS)
    record_property("duplicates", sum(1 for n in provider.requests.values() if n > 1))
    record_property("per_worker", dict(provider.by_node))
    record_property("msgs_per_s", round(REMINDERS / seconds))
