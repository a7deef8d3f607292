"""Receipts arriving at the same moment, over real HTTP from a fake provider to the live server,
each request on its own thread and PostgreSQL connection: no update is lost and a failure is
acted on once."""

import datetime
import functools
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from notifications.models import Message
from notifications.signals import message_undeliverable
from tests.concurrency import run_together
from tests.factories import MessageFactory

from .fake_providers import FakeMeta, FakeSmsGateway, http_transport, wa_status

SECRET = "meta-app-secret"
T0 = 1_795_000_000
SENDERS = 12


@pytest.fixture
def providers(live_server, settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.SMS_DELIVERY_REPORT_TOKEN = "dlr-secret"
    cache.clear()
    transport = http_transport(live_server.url)
    return FakeMeta(transport, SECRET), FakeSmsGateway(transport, "dlr-secret")


def sent(channel, provider_id):
    return MessageFactory(
        channel=channel,
        provider_id=provider_id,
        status=Message.Status.SENT,
        sent_at=datetime.datetime.fromtimestamp(T0 - 10, tz=datetime.UTC),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_failure_reports_signal_once(providers):
    meta, gateway = providers
    whatsapp, sms = sent("whatsapp", "wamid.A"), sent("sms", "sms-1")
    signalled = []

    def receiver(sender, message, reason, **kwargs):
        signalled.append(message.pk)

    message_undeliverable.connect(receiver, dispatch_uid="race-receiver")
    try:
        failed = wa_status("wamid.A", "failed", T0, errors=[{"code": 131026, "title": "x"}])
        jobs = [functools.partial(meta.statuses, failed) for _ in range(SENDERS // 2)]
        report = {"id": "sms-1", "status": "undelivered", "error": "absent subscriber"}
        jobs += [functools.partial(gateway.report, json_body=report) for _ in range(SENDERS // 2)]
        answers, errors = run_together(jobs)
    finally:
        message_undeliverable.disconnect(dispatch_uid="race-receiver")
    assert errors == []
    assert [a.status_code for a in answers] == [200] * SENDERS
    assert sum(a.json()["updated"] for a in answers) == 2
    assert sorted(signalled) == sorted([whatsapp.pk, sms.pk])
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.FAILED}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_delivered_and_read_lose_nothing(providers):
    meta, _gateway = providers
    messages = [sent("whatsapp", f"wamid.{i}") for i in range(3)]
    jobs = []
    for i in range(3):
        jobs.append(functools.partial(meta.statuses, wa_status(f"wamid.{i}", "delivered", T0 + 5)))
        jobs.append(functools.partial(meta.statuses, wa_status(f"wamid.{i}", "read", T0 + 60)))
        jobs.append(functools.partial(meta.statuses, wa_status(f"wamid.{i}", "sent", T0)))
        # One body carrying both, in the wrong order, as a provider retry batch would.
        jobs.append(
            functools.partial(
                meta.statuses,
                wa_status(f"wamid.{i}", "read", T0 + 60),
                wa_status(f"wamid.{i}", "delivered", T0 + 5),
            )
        )
    answers, errors = run_together(jobs)
    assert errors == [] and {a.status_code for a in answers} == {200}
    for message in messages:
        message.refresh_from_db()
        assert message.status == Message.Status.READ
        assert message.read_at == datetime.datetime.fromtimestamp(T0 + 60, tz=datetime.UTC)
        # Whichever came first set it: the delivered report, or the read (which implies it).
        assert message.delivered_at is not None


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reports_held_at_the_row_all_see_the_state_left_by_the_one_before(providers):
    """The window made wide: the message's row is held while every report arrives, then let go.
    Each report must read the state its predecessor wrote (one `updated`); reading before
    waiting would have all of them fail the message from `sent`."""
    meta, _gateway = providers
    message = sent("whatsapp", "wamid.A")
    held, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Message.objects.select_for_update().get(pk=message.pk)
                held.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    held.wait(timeout=30)
    outcome = {}
    failed = wa_status("wamid.A", "failed", T0, errors=[{"code": 131026, "title": "x"}])

    def send_all():
        outcome["answers"], outcome["errors"] = run_together(
            [functools.partial(meta.statuses, failed)] * 6
        )

    senders = threading.Thread(target=send_all)
    senders.start()
    deadline = time.monotonic() + 30
    while waiting_on_locks() < 6 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling a condition, not waiting for a guessed duration
    blocked = waiting_on_locks()
    release.set()
    holder.join(timeout=30)
    senders.join(timeout=60)
    assert blocked == 6
    assert outcome["errors"] == []
    assert sorted(a.json()["updated"] for a in outcome["answers"]) == [0, 0, 0, 0, 0, 1]
