"""Batch sending: what a batch costs in statements, the lease heartbeat, provider rate limits shared
through Redis, and the provider's 429 / 5xx answers. The SMS provider is a local HTTP server."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services, throttling
from notifications.models import Message, Suppression
from notifications.sms.backends.http import retry_after_seconds
from notifications.tokens import recipient_hash

from .fake_sms_provider import FakeSmsProvider

HTTP_BACKEND = "notifications.sms.backends.http.SmsBackend"


@pytest.fixture
def provider(settings):
    fake = FakeSmsProvider().start()
    settings.SMS_BACKEND = HTTP_BACKEND
    settings.SMS_HTTP_URL = fake.url
    settings.SMS_HTTP_TOKEN = "t"
    yield fake
    fake.stop()


@pytest.fixture
def redis_limits(settings):
    """A clean shared clock for the SMS channel in this test's Redis database."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).delete(throttling.KEY_PREFIX + "sms")
    yield settings
    redis.Redis.from_url(settings.REDIS_URL).delete(throttling.KEY_PREFIX + "sms")


def due_sms(count: int, *, start: int = 0, prefix: str = "batch") -> list:
    """`count` SMS due now; their ids (their idempotency keys when a prefix is given)."""
    ids = []
    for n in range(start, start + count):
        message, _ = services.message_schedule(
            idempotency_key=f"{prefix}:{n}:sms",
            channel="sms",
            recipient=f"+2126{n:08d}",
            language="fr",
            purpose="reminder",
            subject="",
            body=f"Rappel {n}",
            scheduled_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        ids.append(message.pk if prefix == "batch" else message.idempotency_key)
    return ids


def claim_all(limit=1000) -> tuple[list[int], str]:
    claims = services.messages_claim_due(limit=limit)
    return [pk for pk, _ in claims], claims[0][1]


@pytest.mark.django_db
def test_a_batch_costs_one_statement_per_message_plus_a_constant(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"

    def statements_for(count, start):
        due_sms(count, start=start)
        ids, token = claim_all()
        with CaptureQueriesContext(connection) as queries:
            result = services.messages_send_batch(message_ids=ids, claim_token=token)
        assert result.count("sent") == count
        return len(queries)

    small, large = statements_for(5, 0), statements_for(25, 100)
    # Hold (attempts, lease), read the rows, read the opt-outs: three per batch; then one UPDATE
    # per message, recording it sent the moment the provider accepted it.
    assert large - small == 20
    assert small == 3 + 5


@pytest.mark.django_db
def test_a_batch_skips_rows_its_token_no_longer_holds_and_cancels_opted_out_ones(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
    from notifications import sms

    ids = due_sms(3)
    claimed, token = claim_all()
    Message.objects.filter(pk=ids[0]).update(claim_token="someone-else")
    Suppression.objects.create(
        channel="sms", recipient_hash=recipient_hash("sms", "+212600000001"), source="admin"
    )
    result = services.messages_send_batch(message_ids=claimed, claim_token=token)
    assert {pk: o.status for pk, o in result.outcomes.items()} == {
        ids[0]: "skipped",
        ids[1]: "cancelled",
        ids[2]: "sent",
    }
    assert [m.body for m in sms.outbox] == ["Rappel 2"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_slow_batch_from_being_claimed_again(provider, settings):
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 1
    provider.delay = 0.3
    ids = due_sms(8)  # 8 x 0.3 s: the batch outlives its first lease more than twice
    claimed, token = claim_all()
    done = threading.Event()
    stolen = []

    def send():
        try:
            services.messages_send_batch(message_ids=claimed, claim_token=token)
        finally:
            connection.close()
            done.set()

    sender = threading.Thread(target=send)
    sender.start()
    while not done.is_set():
        stolen += services.messages_claim_due()
        time.sleep(0.1)
    sender.join()
    assert stolen == []
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
    assert set(provider.request_counts().values()) == {1}


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_is_shared_by_concurrent_senders(provider, redis_limits):
    redis_limits.NOTIFICATIONS_RATE_LIMITS = {"sms": 20}
    redis_limits.NOTIFICATIONS_RATE_BURST = 1
    due_sms(30)

    def drain():
        try:
            return services.messages_send_due(batch=5)
        finally:
            connection.close()

    results = []
    workers = [threading.Thread(target=lambda: results.append(drain())) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(result.sent for result in results) == 30
    times = sorted(provider.accepted_times())
    # 30 sends at 20 per second, whoever sends them: the provider sees them over >= 29/20 s.
    assert times[-1] - times[0] >= 29 / 20 * 0.95
    # And no second holds more than 20 of them (allowing for the network's jitter).
    assert all(later - earlier >= 0.85 for earlier, later in zip(times, times[20:], strict=False))


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_429_pauses_the_channel_for_its_retry_after_and_spends_no_attempt(provider, redis_limits):
    redis_limits.NOTIFICATIONS_RATE_LIMITS = {"sms": 100}
    provider.answer = lambda number: (429, {"Retry-After": "2"}) if number == 0 else None
    ids = due_sms(3)
    claimed, token = claim_all()
    result = services.messages_send_batch(message_ids=claimed, claim_token=token)
    # The first row met the 429; the other two were not tried: all wait the provider's 2 s.
    assert result.retries() == {2: ids}
    assert len(provider.requests) == 1
    rows = Message.objects.filter(pk__in=ids)
    assert set(rows.values_list("status", "attempts")) == {("sending", 0)}
    assert min(rows.values_list("leased_until", flat=True)) > timezone.now()
    # Every other worker sees the pause too: no slot on this channel within the next second.
    assert throttling.wait_estimate("sms") >= 1
    time.sleep(2)
    again = services.messages_send_batch(message_ids=claimed, claim_token=token)
    assert again.count("sent") == 3
    assert set(rows.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_5xx_counts_an_attempt_for_the_tried_row_only_and_the_rest_wait(provider, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    provider.answer = lambda number: (503, {}) if number == 0 else None
    ids = due_sms(4)
    claimed, token = claim_all()
    result = services.messages_send_batch(message_ids=claimed, claim_token=token)
    assert result.retries() == {30: ids}
    assert len(provider.requests) == 1
    attempts = dict(Message.objects.filter(pk__in=ids).values_list("pk", "attempts"))
    assert attempts == {ids[0]: 1, ids[1]: 0, ids[2]: 0, ids[3]: 0}
    assert Message.objects.get(pk=ids[0]).last_error == "HTTP 503 try later"
    # Nobody can claim them during the backoff: the task that comes back holds them.
    assert services.messages_claim_due() == []
    assert services.messages_send_batch(message_ids=claimed, claim_token=token).count("sent") == 4


@pytest.mark.django_db
def test_without_redis_the_limit_is_kept_in_the_process(settings):
    settings.REDIS_URL = ""
    settings.NOTIFICATIONS_RATE_LIMITS = {"whatsapp": 2}
    settings.NOTIFICATIONS_RATE_MAX_WAIT_SECONDS = 1
    throttling._local_tat.clear()
    assert throttling.send_slot_reserve("whatsapp") == 0
    assert throttling.send_slot_reserve("whatsapp") == pytest.approx(0.5, abs=0.05)
    assert throttling.send_slot_reserve("whatsapp") == pytest.approx(1.0, abs=0.05)
    assert throttling.send_slot_reserve("whatsapp") is None  # 1.5 s away: left for later
    assert throttling.send_slot_reserve("sms") == 0  # no limit set for SMS


def test_retry_after_is_read_as_seconds_or_a_date_and_bounded():
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("0") == 1
    assert retry_after_seconds("999999") == 3600
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=120)
    assert 115 <= retry_after_seconds(later.strftime("%a, %d %b %Y %H:%M:%S GMT")) <= 121
