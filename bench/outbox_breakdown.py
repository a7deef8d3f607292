"""Where the outbox's time per message goes, in-process (no broker): the same due reminders (one
in five an e-mail) sent three ways on the benchmark's file backends, with SQL statements counted.

- plain: only the sends (the channel's backend, one connection per run), no outbox state: what
  a bare loop doing the same deliveries costs;
- row by row: the claim of a batch, then each row held, read, checked against the opt-out list,
  sent and recorded on its own (four statements a row: the outbox before batches);
- batched: messages_send_due, rows claimed, held, read and checked per batch of
  NOTIFICATIONS_SEND_BATCH, each recorded `sent` by its own UPDATE.

The broker's share (publish, fetch, acknowledge, the task's own machinery) is what the no-op task
rate of the Celery part measures: 1 / no-op rate per task."""

import time

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Message
from notifications.services import message_send, messages_claim_due, messages_send_due
from notifications.services.outbox import _deliver
from notifications.services.sending import DeliveryConnections

ROWS = 1000
PREFIX = "bench-breakdown"


def _rows_create(*, event, run: str) -> list[Message]:
    from .reminders_bench import reminders_create

    return reminders_create(event=event, count=ROWS, key_prefix=f"{PREFIX}-{run}")


def _timed(function) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
    return elapsed * 1000 / ROWS, len(queries)


def outbox_breakdown(*, event) -> dict:
    results = {"rows": ROWS, "batch": settings.NOTIFICATIONS_SEND_BATCH}

    rows = _rows_create(event=event, run="plain")

    def plain():
        connections = DeliveryConnections()
        for row in Message.objects.filter(pk__in=[r.pk for r in rows]).select_related("ticket"):
            _deliver(row, connections)
        connections.close()

    results["plain_ms"], results["plain_queries"] = _timed(plain)
    Message.objects.filter(pk__in=[r.pk for r in rows]).delete()

    _rows_create(event=event, run="rowwise")

    def row_by_row():
        while claims := messages_claim_due(limit=500):
            for message_id, token in claims:
                message_send(message_id=message_id, claim_token=token)

    results["rowwise_ms"], results["rowwise_queries"] = _timed(row_by_row)

    _rows_create(event=event, run="batched")
    results["batched_ms"], results["batched_queries"] = _timed(lambda: messages_send_due())
    Message.objects.filter(idempotency_key__startswith=PREFIX).delete()
    return results
