"""Delivery receipts through the real endpoints: a local fake of Meta and of the SMS gateway post
signed bodies (the exact bytes), and the outbox rows follow."""

import datetime
import logging

import pytest
from django.core.cache import cache

from notifications.models import Message
from notifications.signals import inbound_message_received, message_undeliverable
from tests.factories import MessageFactory

from .fake_providers import (
    WHATSAPP_PATH,
    FakeMeta,
    FakeSmsGateway,
    client_transport,
    meta_signature,
    wa_body,
    wa_status,
    wa_text,
)

SECRET = "meta-app-secret"
T0 = 1_795_000_000  # 2026-11-18, seconds
Status = Message.Status


def at(ts: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN = "verify-me"
    settings.SMS_DELIVERY_REPORT_TOKEN = "dlr-secret"
    cache.clear()  # the refused-request counters
    yield
    cache.clear()


@pytest.fixture
def meta(client):
    return FakeMeta(client_transport(client), SECRET)


@pytest.fixture
def gateway(client):
    return FakeSmsGateway(client_transport(client), "dlr-secret")


@pytest.fixture
def undeliverable():
    calls = []

    def receiver(sender, message, reason, **kwargs):
        calls.append((message.pk, reason))

    message_undeliverable.connect(receiver, dispatch_uid="test-receipts")
    yield calls
    message_undeliverable.disconnect(dispatch_uid="test-receipts")


def sent_message(channel="whatsapp", provider_id="wamid.A", **fields):
    values = {"status": Status.SENT, "sent_at": at(T0 - 10), **fields}
    return MessageFactory(channel=channel, provider_id=provider_id, **values)


# WhatsApp: the handshake


def test_verification_echoes_the_challenge_only_with_the_right_token(client):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    response = client.get(WHATSAPP_PATH, query)
    assert response.status_code == 200 and response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")
    assert client.get(WHATSAPP_PATH, {**query, "hub.verify_token": "nope"}).status_code == 403
    assert client.get(WHATSAPP_PATH, {**query, "hub.mode": "unsubscribe"}).status_code == 403
    assert client.get(WHATSAPP_PATH).status_code == 403


def test_verification_is_closed_when_no_token_is_configured(client, settings):
    settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN = ""
    query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    assert client.get(WHATSAPP_PATH, query).status_code == 403


# WhatsApp: signatures and bodies


@pytest.mark.django_db
def test_bad_or_missing_signature_is_403_and_changes_nothing(meta, settings):
    message = sent_message()
    body = wa_body(statuses=[wa_status("wamid.A", "delivered", T0)])
    assert meta.post(body, signature="").status_code == 403
    assert meta.post(body, signature="sha256=" + "0" * 64).status_code == 403
    assert meta.post(body, signature=meta_signature("another-secret", body)).status_code == 403
    # Signed for one body, sent with another: the HMAC covers the raw bytes.
    tampered = body.replace(b"delivered", b"read")
    assert meta.post(tampered, signature=meta_signature(SECRET, body)).status_code == 403
    settings.WHATSAPP_APP_SECRET = ""
    assert meta.post(body, signature=meta_signature("", body)).status_code == 403
    message.refresh_from_db()
    assert message.status == Status.SENT and message.delivered_at is None


@pytest.mark.django_db
def test_signature_failures_from_one_address_are_slowed_down(meta, settings):
    settings.NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_LIMIT = (3, 600)
    body = wa_body(statuses=[wa_status("wamid.A", "delivered", T0)])
    codes = [meta.post(body, signature="sha256=00").status_code for _ in range(4)]
    assert codes == [403, 403, 403, 429]
    # Even the genuine provider waits out the window from that address: no oracle while locked.
    assert meta.post(body).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "Input should be"),
        (b'{"object": "whatsapp_business_account"}', "entry"),
        (
            b'{"object": "x", "entry": [{"changes": [{"value": {"statuses": [{"id": "w"}]}}]}]}',
            "status",
        ),
        (wa_body(statuses=[wa_status("wamid.A", "read", 12)]), "plausible Unix time"),
        (wa_body(statuses=[{"id": "wamid.A", "status": "read", "timestamp": "soon"}]), "timestamp"),
        (wa_body(messages=[{**wa_text("212612345678", "in.1", "hi", T0), "from": "ab"}]), "from"),
    ],
)
def test_malformed_bodies_are_400_with_the_reason_and_apply_nothing(meta, body, reason):
    message = sent_message()
    response = meta.post(body)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed" and reason in response.json()["detail"]
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.django_db
def test_a_bad_item_refuses_the_whole_batch(meta):
    first = sent_message(provider_id="wamid.A")
    body = wa_body(
        statuses=[wa_status("wamid.A", "delivered", T0), {"id": "wamid.B", "status": "read"}]
    )
    assert meta.post(body).status_code == 400
    first.refresh_from_db()
    assert first.status == Status.SENT


@pytest.mark.django_db
def test_oversized_body_is_413(meta, settings):
    settings.NOTIFICATIONS_WEBHOOK_MAX_BYTES = 1000
    body = wa_body(statuses=[wa_status(f"wamid.{i}", "delivered", T0) for i in range(20)])
    response = meta.post(body)
    assert response.status_code == 413 and response.json()["code"] == "too_large"


# WhatsApp: the states


@pytest.mark.django_db
def test_delivered_then_read_then_replays_change_nothing_more(meta):
    message = sent_message()
    assert meta.statuses(wa_status("wamid.A", "sent", T0)).json()["unchanged"] == 1
    assert meta.statuses(wa_status("wamid.A", "delivered", T0 + 5)).json()["updated"] == 1
    assert meta.statuses(wa_status("wamid.A", "read", T0 + 60)).json()["updated"] == 1
    replay = meta.statuses(
        wa_status("wamid.A", "delivered", T0 + 5), wa_status("wamid.A", "read", T0 + 60)
    )
    assert replay.status_code == 200 and replay.json()["unchanged"] == 2
    message.refresh_from_db()
    assert message.status == Status.READ
    assert (message.delivered_at, message.read_at) == (at(T0 + 5), at(T0 + 60))


@pytest.mark.django_db
def test_read_before_delivered_sets_both_and_keeps_read(meta):
    message = sent_message()
    meta.statuses(wa_status("wamid.A", "read", T0 + 60))
    message.refresh_from_db()
    assert message.status == Status.READ
    assert message.delivered_at == message.read_at == at(T0 + 60)
    assert meta.statuses(wa_status("wamid.A", "delivered", T0 + 5)).json()["unchanged"] == 1
    message.refresh_from_db()
    assert message.status == Status.READ


@pytest.mark.django_db
def test_failed_records_the_reason_and_signals_once(meta, undeliverable):
    message = sent_message()
    failed = wa_status(
        "wamid.A",
        "failed",
        T0,
        errors=[{"code": 131026, "title": "Message undeliverable", "message": "x"}],
    )
    assert meta.statuses(failed).json()["updated"] == 1
    assert meta.statuses(failed).json()["unchanged"] == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "131026 Message undeliverable"
    assert undeliverable == [(message.pk, "131026 Message undeliverable")]


@pytest.mark.django_db
def test_failure_after_delivery_is_ignored_and_delivery_after_failure_wins(meta, undeliverable):
    delivered = sent_message(provider_id="wamid.A", delivered_at=at(T0), status=Status.DELIVERED)
    failed = sent_message(provider_id="wamid.B", status=Status.FAILED, last_error="131026 x")
    meta.statuses(wa_status("wamid.A", "failed", T0 + 5), wa_status("wamid.B", "read", T0 + 9))
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.status == Status.DELIVERED and undeliverable == []
    assert failed.status == Status.READ and failed.read_at == at(T0 + 9)


@pytest.mark.django_db
def test_unknown_ids_and_untracked_states_are_answered_200(meta, caplog):
    sms = sent_message(channel="sms", provider_id="wamid.A")
    scheduled = MessageFactory(channel="whatsapp", provider_id="wamid.S")
    with caplog.at_level(logging.INFO):
        response = meta.statuses(
            wa_status("wamid.nobody", "delivered", T0),
            wa_status("wamid.A", "delivered", T0),  # an SMS id: not WhatsApp's
            wa_status("wamid.S", "delivered", T0),  # not sent yet: receipts do not apply
            wa_status("wamid.S", "deleted", T0),
        )
    assert response.status_code == 200
    assert response.json() == {
        "updated": 0,
        "unchanged": 0,
        "unknown": 3,
        "ignored": 1,
        "inbound": 0,
    }
    sms.refresh_from_db()
    scheduled.refresh_from_db()
    assert sms.status == Status.SENT and scheduled.status == Status.SCHEDULED
    assert "unknown message id" in caplog.text and "wamid.nobody" not in caplog.text


@pytest.mark.django_db
def test_inbound_messages_are_handed_on_with_the_phone_in_e164(meta):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    inbound_message_received.connect(receiver, dispatch_uid="test-inbound")
    try:
        button = {
            "from": "212612345679",
            "id": "in.2",
            "timestamp": str(T0 + 1),
            "type": "button",
            "button": {"text": "Oui", "payload": "yes"},
        }
        image = {"from": "212612345679", "id": "in.3", "timestamp": str(T0), "type": "image"}
        body = wa_body(messages=[wa_text("212612345678", "in.1", "نعم", T0), button, image])
        response = meta.post(body)
    finally:
        inbound_message_received.disconnect(dispatch_uid="test-inbound")
    assert response.json()["inbound"] == 2 and response.json()["ignored"] == 1
    assert [
        (r["channel"], r["phone"], r["text"], r["provider_id"], r["received_at"]) for r in received
    ] == [
        ("whatsapp", "+212612345678", "نعم", "in.1", at(T0)),
        ("whatsapp", "+212612345679", "Oui", "in.2", at(T0 + 1)),
    ]


@pytest.mark.django_db
def test_a_failing_receiver_is_answered_503_so_that_the_provider_retries(meta):
    message = sent_message()

    def broken(sender, **kwargs):
        raise RuntimeError("fallback could not be queued")

    message_undeliverable.connect(broken, dispatch_uid="test-broken")
    try:
        response = meta.statuses(wa_status("wamid.A", "failed", T0))
    finally:
        message_undeliverable.disconnect(dispatch_uid="test-broken")
    assert response.status_code == 503 and response.json()["code"] == "retry_later"
    message.refresh_from_db()
    assert message.status == Status.SENT  # rolled back with the receiver: the retry will apply it
    assert meta.statuses(wa_status("wamid.A", "failed", T0)).json()["updated"] == 1


# SMS delivery reports


@pytest.mark.django_db
def test_sms_report_needs_the_shared_secret(gateway):
    message = sent_message(channel="sms", provider_id="sms-1")
    report = {"id": "sms-1", "status": "delivered"}
    assert gateway.report(json_body=report, token="").status_code == 403
    assert gateway.report(json_body=report, token="wrong").status_code == 403
    assert gateway.report(json_body=report, token="wrong", in_query=True).status_code == 403
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert gateway.report(json_body=report, in_query=True).status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


@pytest.mark.django_db
def test_sms_report_as_a_form_with_the_gateways_words(gateway, undeliverable):
    message = sent_message(channel="sms", provider_id="sms-1")
    other = sent_message(channel="sms", provider_id="sms-2")
    form = {"message_id": "sms-1", "status": "DELIVRD", "timestamp": str(T0)}
    assert gateway.report(form=form).json()["updated"] == 1
    expired = {"messageId": "sms-2", "status": "EXPIRED", "error_code": "27", "error": "absent"}
    assert gateway.report(form=expired).json()["updated"] == 1
    assert gateway.report(form=expired).json()["unchanged"] == 1
    message.refresh_from_db()
    other.refresh_from_db()
    assert (message.status, message.delivered_at) == (Status.DELIVERED, at(T0))
    assert (other.status, other.last_error) == (Status.FAILED, "27 absent")
    assert undeliverable == [(other.pk, "27 absent")]


@pytest.mark.django_db
def test_sms_reports_as_a_json_list_with_iso_times(gateway):
    message = sent_message(channel="sms", provider_id="sms-1")
    reports = [
        {"id": "sms-1", "status": "delivered", "timestamp": "2026-12-01T10:00:00+01:00"},
        {"id": 987654, "status": "undelivered"},
    ]
    assert gateway.report(json_body=reports).json() == {
        "updated": 1,
        "unchanged": 0,
        "unknown": 1,
        "ignored": 0,
        "inbound": 0,
    }
    message.refresh_from_db()
    assert message.delivered_at == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("json_body", "form", "reason"),
    [
        ({"id": "sms-1", "status": "lost in space"}, None, "is not one of"),
        ({"status": "delivered"}, None, "id"),
        ({"id": "sms-1", "status": "delivered", "timestamp": "2026-12-01T10:00:00"}, None, "UTC"),
        ([], None, "no delivery report"),
        ("delivered", None, "Input should be"),
        (None, {"id": "sms-1"}, "status"),
    ],
)
def test_malformed_sms_reports_are_400(gateway, json_body, form, reason):
    sent_message(channel="sms", provider_id="sms-1")
    response = gateway.report(json_body=json_body, form=form)
    assert response.status_code == 400, response.body
    assert reason in response.json()["detail"]
    assert Message.objects.get().status == Status.SENT


@pytest.mark.django_db
def test_sms_report_with_broken_json_is_400(client):
    response = client.generic(
        "POST",
        "/api/v1/notifications/sms/delivery-report",
        b'{"id": ',
        content_type="application/json",
        headers={"Authorization": "Bearer dlr-secret"},
    )
    assert response.status_code == 400 and "not valid JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_whatever_its_size(django_assert_max_num_queries):
    from notifications.services.receipts import Receipt, messages_receipts_apply

    def batch(n, offset):
        for i in range(n):
            sent_message(provider_id=f"wamid.{offset + i}")
        return [
            Receipt("whatsapp", f"wamid.{offset + i}", status, at(T0 + i))
            for i in range(n)
            for status in (Status.DELIVERED, Status.READ)
        ] + [Receipt("sms", "nobody", Status.DELIVERED, at(T0))]

    # A transaction, one locking SELECT, one UPDATE (plus savepoints inside the test's atomic).
    small, large = batch(2, 0), batch(200, 100)
    with django_assert_max_num_queries(4):
        assert messages_receipts_apply(receipts=small)["updated"] == 4
    with django_assert_max_num_queries(4):
        assert messages_receipts_apply(receipts=large) == {
            "updated": 400,
            "unchanged": 0,
            "unknown": 1,
        }
    assert Message.objects.filter(status=Status.READ, delivered_at__isnull=False).count() == 202


@pytest.mark.django_db
def test_webhooks_log_no_phone_number_or_text(meta, gateway, caplog):
    phone, text = "212661234567", "Je viens avec ma fille Zoubida"
    sent_message(provider_id="wamid.A")
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "notifications"):
        caplog.set_level(logging.DEBUG, logger=name)
    error = {"code": 131026, "title": f"Receiver {phone} is incapable of receiving"}
    meta.post(wa_body(messages=[wa_text(phone, "in.1", text, T0)]))
    meta.statuses(wa_status("wamid.A", "failed", T0, errors=[error]))
    meta.statuses(wa_status("wamid.unknown", "read", T0))
    meta.post(wa_body(messages=[wa_text(phone, "in.1", text, T0)]), signature="sha256=00")
    meta.post(wa_body(messages=[{**wa_text(phone, "in.1", text, T0), "timestamp": "x"}]))
    gateway.report(json_body={"id": "sms-1", "status": "failed", "error": f"+{phone} absent"})
    for secret in (phone, "661234567", text, "Zoubida"):
        assert secret not in caplog.text
    # What organizers read is masked too.
    assert phone not in Message.objects.get().last_error


# The rule itself, every state against every report: (state before, report) -> state after.
S, D, R, F = Status.SENT, Status.DELIVERED, Status.READ, Status.FAILED
TRANSITIONS = {
    (S, S): S, (S, D): D, (S, R): R, (S, F): F,
    (D, S): D, (D, D): D, (D, R): R, (D, F): D,
    (R, S): R, (R, D): R, (R, R): R, (R, F): R,
    (F, S): F, (F, D): D, (F, R): R, (F, F): F,
}  # fmt: skip


@pytest.mark.parametrize(("before", "report"), sorted(TRANSITIONS))
def test_states_only_move_forward(before, report):
    from notifications.services.receipts import Receipt, receipt_transition

    message = Message(status=before, last_error="earlier" if before == F else "")
    changes = receipt_transition(message, Receipt("whatsapp", "w", report, at(T0), "why"))
    assert changes.get("status", before) == TRANSITIONS[before, report]
    if changes.get("status") == F:
        assert changes["last_error"] == "why"
    # A read implies delivery: its time fills the delivery time when none is known.
    if report in (D, R):
        assert changes.get("delivered_at") == at(T0)
    if report == R:
        assert changes.get("read_at") == at(T0)
