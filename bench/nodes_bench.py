"""Two application nodes at the issue's sizes (tests/nodes.py; tests/test_two_nodes.py runs the
same with fewer reminders): two gunicorn instances (2 sync workers each) on two ports answer a
100-way same-ticket storm split between them, then two Celery workers (prefork, 2 processes each)
drain 10,000 due SMS reminders (BENCH_SCALE=1) to a local fake provider that counts every request
per message and per node. One PostgreSQL, one Redis, the benchmark's production settings."""

import os
import shutil

from attendance.models import Attendance
from notifications.models import Message
from tests.nodes import (
    SmsProvider,
    door_create,
    node_environment,
    reminders_create,
    reminders_drain,
    storm,
    web_nodes,
    worker_nodes,
)

from . import scaled

SCANS = 100
REMINDERS = scaled(10_000)


def nodes_benchmark(*, ports: list[int], out_dir, log=print) -> dict:
    env = node_environment(
        database_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"]
    )
    door, event = door_create()
    log(f"two nodes: {SCANS}-way same-ticket storm over gunicorn on ports {ports}")
    with web_nodes(env=env, ports=ports):
        scans = storm(door=door, ports=ports, scans=SCANS)
    scans["rows"] = Attendance.objects.filter(
        session_id=door.session_id, voided_at__isnull=True
    ).count()

    log(f"two nodes: {REMINDERS:,} reminders drained by two Celery workers")
    keys = reminders_create(event=event, count=REMINDERS)
    log_dir = out_dir / "nodes"
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    provider = SmsProvider()
    with provider, worker_nodes(envs=provider.worker_envs(env), log_dir=log_dir):
        seconds = reminders_drain(keys=keys)
    return {
        "storm": scans,
        "reminders": {
            "messages": REMINDERS,
            "seconds": seconds,
            "msgs_per_s": REMINDERS / seconds,
            "sent": Message.objects.filter(
                status=Message.Status.SENT, idempotency_key__in=keys
            ).count(),
            "delivered": len(set(provider.requests) & keys),
            "duplicates": sum(1 for count in provider.requests.values() if count > 1),
            "per_worker": dict(sorted(provider.by_node.items())),
        },
    }
