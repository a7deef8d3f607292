"""Faults with real processes: a Celery worker (prefork, with its embedded beat ticking the
dispatcher) on the real Redis and PostgreSQL, sending to a local fake SMS provider.

- Two workers; one (and its pool processes) SIGKILLed mid-batch: every message delivered, those
  recorded `sent` never again, duplicates only for requests in flight at the kill (and the
  provider folds them by idempotency key: one provider id per message); the dead worker's rows go
  out again, through the surviving worker, within the lease and a dispatch tick (the recovery
  time is printed).
- The provider answers 500, then 429 with Retry-After, then recovers: every message delivered
  once, none lost.

FAULT_LEASE_SECONDS / FAULT_TICK_SECONDS run the kill test with other values (30 / 15 are the
production defaults: the recovery measured in bench/RESULTS.md)."""

import os
import time

import pytest

from config.celery import app as celery_app
from notifications.models import Message

from .fake_sms_provider import FakeSmsProvider
from .test_integration import CONCURRENCY, Worker, statuses, wait_until, worker_environment
from .test_outbox_batches import due_sms

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

LEASE = int(os.environ.get("FAULT_LEASE_SECONDS", "6"))
TICK = int(os.environ.get("FAULT_TICK_SECONDS", "3"))


@pytest.fixture
def provider():
    fake = FakeSmsProvider().start()
    yield fake
    fake.stop()


@pytest.fixture
def start_worker(provider, tmp_path):
    """Start a worker (the first one with the beat, as production runs one beat)."""
    env = worker_environment(
        SMS_BACKEND="notifications.sms.backends.http.SmsBackend",
        SMS_HTTP_URL=provider.url,
        SMS_HTTP_TOKEN="fault-token",
        NOTIFICATIONS_SEND_LEASE_SECONDS=str(LEASE),
        NOTIFICATIONS_DISPATCH_SECONDS=str(TICK),
        NOTIFICATIONS_RETRY_BASE_SECONDS="1",
        NOTIFICATIONS_SEND_BATCH="20",
        NOTIFICATIONS_MAX_ATTEMPTS="8",
        MULTAQA_VAR_DIR=str(tmp_path / "var"),
    )
    celery_app.conf.task_always_eager = False
    started = []

    def start():
        number = len(started)
        handle = Worker(env, tmp_path / f"worker{number}.log", beat=not started)
        handle.start()
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in started:
            handle.kill()
        celery_app.conf.task_always_eager = True
        for handle in started:
            log = handle.log_path
            if log.exists() and "Traceback" in log.read_text(errors="replace"):
                print(log.read_text(errors="replace")[-4000:])


def test_a_worker_killed_mid_batch_is_recovered_within_a_lease_and_a_tick(start_worker, provider):
    provider.delay = 0.01  # a provider answering in 10 ms: the kill lands mid-batch
    keys = due_sms(300, prefix="kill")
    rows = Message.objects.filter(idempotency_key__in=keys)
    start_worker()  # with the beat: it dispatches every tick and stays up
    doomed = start_worker()
    assert wait_until(lambda: len(provider.accepted) >= 60, timeout=60), statuses()
    doomed.kill()  # SIGKILL to the worker and its pool processes
    killed_at = time.monotonic()
    at_kill = dict(rows.values_list("idempotency_key", "status"))
    sent_at_kill = {key for key, status in at_kill.items() if status == "sent"}
    in_flight = {key for key, status in at_kill.items() if status == "sending"}
    accepted_at_kill = set(provider.accepted)
    assert 0 < len(sent_at_kill) < len(keys), "the kill must land in the middle"
    assert in_flight, "batches were being sent at the kill"

    assert wait_until(
        lambda: not rows.filter(idempotency_key__in=in_flight, status="sending").exists(),
        timeout=LEASE + TICK + 40,
        every=0.2,
    ), statuses()
    recovered_after = time.monotonic() - killed_at
    assert wait_until(lambda: rows.filter(status="sent").count() == len(keys), timeout=60)

    requests = provider.request_counts()
    repeated = {key for key, count in requests.items() if count > 1}
    print(
        f"\nSIGKILL: {len(keys)} messages, {len(sent_at_kill)} recorded sent at the kill, "
        f"{len(in_flight)} claimed by the dead worker, {len(repeated)} requested twice; "
        f"in-flight rows sent again {recovered_after:.1f} s after the kill "
        f"(lease {LEASE} s, dispatch tick {TICK} s)"
    )
    assert set(provider.delivered) == set(keys) and set(provider.delivered.values()) == {1}
    assert not repeated & sent_at_kill, "a message recorded as sent was sent again"
    # Only a request in flight at the kill (accepted by the provider, not yet recorded) repeats.
    assert repeated <= accepted_at_kill - sent_at_kill
    assert len(repeated) <= CONCURRENCY
    # The provider folded each repeat onto its first acceptance: one provider id per message.
    provider_ids = list(rows.values_list("provider_id", flat=True))
    assert len(set(provider_ids)) == len(keys)
    # The dead worker's rows wait out their lease (renewed until the kill), then the next tick.
    assert recovered_after <= LEASE + TICK + 10
    assert recovered_after <= 60


def test_provider_500_then_429_then_recovering_delivers_every_message_once(start_worker, provider):
    def answer(number):
        if number < 6:
            return 500, {}
        if number < 10:
            return 429, {"Retry-After": "1"}
        return None

    provider.answer = answer
    keys = due_sms(120, prefix="flaky")
    rows = Message.objects.filter(idempotency_key__in=keys)
    start_worker()
    assert wait_until(lambda: rows.filter(status="sent").count() == len(keys), timeout=50), (
        statuses()
    )
    answered = [status for _key, _at, status in provider.requests]
    print(
        f"\nflaky provider: {answered.count(500)} answers 500, {answered.count(429)} answers "
        f"429, {answered.count(200)} accepted; {len(keys)} messages"
    )
    assert 500 in answered and 429 in answered
    assert set(provider.delivered) == set(keys) and set(provider.delivered.values()) == {1}
    assert not rows.exclude(status="sent").exists()
    # Only tried rows spent attempts (one per 500); a 429 or an untried row spends none.
    assert sum(rows.values_list("attempts", flat=True)) == len(keys) + answered.count(500)
