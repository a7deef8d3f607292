"""Receipts arriving at the same moment, over real HTTP from a fake provider to the live server,
each request on its own thread and PostgreSQL connection: no update is lost and a failure is
acted on once."""

import datetime
import functools

import pytest
from django.core.cache import cache

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
