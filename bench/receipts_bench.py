"""Benchmark: delivery receipts through the WhatsApp webhook, in process (Django's test client,
the whole middleware stack and the ninja route, the real PostgreSQL), signed like Meta signs.

- a Meta-size batch: one POST carrying 1,000 `delivered` statuses for messages that exist;
- the same POST naming ids no message carries (baseline: signature, parsing, one SELECT that
  finds nothing; what is left is the cost of locking and writing the rows);
- one status per POST, the way low traffic arrives.

Interleaved rounds (batch, unknown, singles, batch, …) so that a neighbour's load hits all alike;
the median round of each is kept."""

import datetime
import hashlib
import hmac
import json
import statistics
import time

from django.test import Client, override_settings
from django.utils import timezone

from notifications.models import Message

from . import scaled
from .data import next_week_event

ROUNDS = 7
BATCH = 1000
SINGLES = scaled(200)
PATH = "/api/v1/notifications/whatsapp/webhook"
SECRET = "bench-app-secret"


def _body(ids: list[str], status: str = "delivered") -> bytes:
    now = int(time.time())
    statuses = [{"id": i, "status": status, "timestamp": str(now)} for i in ids]
    change = {"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": statuses}}
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [change]}]}
    ).encode()


def _post(client: Client, body: bytes) -> dict:
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.generic(
        "POST",
        PATH,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature},
    )
    if response.status_code != 200:
        raise RuntimeError(f"webhook answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _messages(event, prefix: str, count: int) -> list[str]:
    ids = [f"wamid.{prefix}.{i}" for i in range(count)]
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            channel="whatsapp",
            recipient="+212600000000",
            recipient_hash="0" * 64,
            language="fr",
            purpose="reminder",
            body="Rappel",
            idempotency_key=f"bench-receipt:{provider_id}",
            event=event,
            scheduled_at=now - datetime.timedelta(minutes=5),
            status=Message.Status.SENT,
            sent_at=now,
            provider_id=provider_id,
        )
        for provider_id in ids
    )
    return ids


def receipts_benchmark(*, programme, log) -> dict:
    event = next_week_event(programme=programme, title="Receipts bench", capacity=None)
    client = Client(SERVER_NAME="127.0.0.1")
    batch_s, unknown_s, single_s = [], [], []
    with override_settings(WHATSAPP_APP_SECRET=SECRET):
        _post(client, _body(_messages(event, "warm", 50)))  # imports, first connection
        for round_index in range(ROUNDS):
            known = _messages(event, f"b{round_index}", BATCH)
            singles = _messages(event, f"s{round_index}", SINGLES)
            body = _body(known)
            started = time.perf_counter()
            answer = _post(client, body)
            batch_s.append(time.perf_counter() - started)
            if answer["updated"] != BATCH:
                raise RuntimeError(f"batch applied {answer['updated']} of {BATCH}")

            body = _body([f"wamid.nobody.{round_index}.{i}" for i in range(BATCH)])
            started = time.perf_counter()
            answer = _post(client, body)
            unknown_s.append(time.perf_counter() - started)
            if answer["unknown"] != BATCH:
                raise RuntimeError("the baseline's ids were found")

            bodies = [_body([provider_id]) for provider_id in singles]
            started = time.perf_counter()
            for body in bodies:
                _post(client, body)
            single_s.append(time.perf_counter() - started)
            log(f"  receipts round {round_index + 1}/{ROUNDS}: batch {batch_s[-1] * 1000:.0f} ms")
    batch, unknown, single = (statistics.median(v) for v in (batch_s, unknown_s, single_s))
    return {
        "rounds": ROUNDS,
        "batch": BATCH,
        "singles": SINGLES,
        "batch_ms": batch * 1000,
        "batch_per_s": BATCH / batch,
        "unknown_ms": unknown * 1000,
        "unknown_per_s": BATCH / unknown,
        "single_ms": single * 1000 / SINGLES,
        "single_per_s": SINGLES / single,
    }
