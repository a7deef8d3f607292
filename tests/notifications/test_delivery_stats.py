"""The messages page's delivery figures, against a ground truth written by the providers'
receipts (the fake providers post them through the real webhooks)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Membership
from notifications.models import Message
from notifications.selectors_delivery import DeliveryRow, delivery_stats_for_event
from tests.factories import EventFactory, MessageFactory

from .fake_providers import FakeMeta, FakeSmsGateway, client_transport, wa_status

T0 = 1_795_000_000
Status = Message.Status


@pytest.fixture
def own_event(organizer):
    return EventFactory(
        programme__lead_organization=Membership.objects.get(user=organizer).organization
    )


def sent(event, channel, provider_id, purpose="reminder", **fields):
    values = {"status": Status.SENT, "sent_at": datetime.datetime.now(tz=datetime.UTC), **fields}
    return MessageFactory(
        event=event, channel=channel, purpose=purpose, provider_id=provider_id, **values
    )


@pytest.fixture
def reported(own_event, client, settings):
    """Reminders: 6 on WhatsApp (1 left at sent, 2 delivered, 2 read, 1 failed that fell back
    to SMS), 4 by SMS (the fallback delivered, 2 delivered, 1 expired); confirmations: 3 e-mails
    and one still scheduled (not counted)."""
    settings.WHATSAPP_APP_SECRET = "s"
    settings.SMS_DELIVERY_REPORT_TOKEN = "t"
    cache.clear()
    event = own_event
    for i in range(6):
        sent(event, "whatsapp", f"wa.{i}")
    failed_wa = Message.objects.get(provider_id="wa.5")
    sent(event, "sms", "sms.fallback", fallback_of=failed_wa)
    for i in range(3):
        sent(event, "sms", f"sms.{i}")
    for i in range(3):
        sent(event, "email", f"<{i}@multaqa>", purpose="confirmation")
    MessageFactory(event=event, channel="email", purpose="confirmation")
    sent(EventFactory(), "whatsapp", "wa.other-event")

    meta = FakeMeta(client_transport(client), "s")
    answer = meta.statuses(
        wa_status("wa.1", "delivered", T0),
        wa_status("wa.2", "delivered", T0),
        wa_status("wa.3", "read", T0),
        wa_status("wa.4", "delivered", T0),
        wa_status("wa.4", "read", T0 + 1),
        wa_status("wa.5", "failed", T0, errors=[{"code": 131026, "title": "undeliverable"}]),
        wa_status("wa.other-event", "read", T0),
    )
    assert answer.json()["updated"] == 7
    gateway = FakeSmsGateway(client_transport(client), "t")
    reports = [
        {"id": "sms.fallback", "status": "delivered"},
        {"id": "sms.0", "status": "delivered"},
        {"id": "sms.1", "status": "DELIVRD"},
        {"id": "sms.2", "status": "expired", "error": "absent"},
    ]
    assert gateway.report(json_body=reports).json()["updated"] == 4
    return event


def test_figures_per_kind_and_channel_match_the_receipts(reported, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = delivery_stats_for_event(event=reported)
    assert rows == [
        DeliveryRow(
            "confirmation", "email", sent=3, delivered=None, read=None, failed=0, fell_back=0
        ),
        DeliveryRow("reminder", "sms", sent=4, delivered=3, read=None, failed=1, fell_back=0),
        DeliveryRow("reminder", "whatsapp", sent=6, delivered=4, read=2, failed=1, fell_back=1),
    ]
    whatsapp = rows[2]
    assert (whatsapp.delivered_rate, whatsapp.read_rate, whatsapp.failed_rate) == (67, 33, 17)
    assert whatsapp.fell_back_rate == 17 and rows[0].delivered_rate is None


def test_queries_do_not_grow_with_messages_kinds_and_channels(reported, django_assert_num_queries):
    for purpose in ("cancellation", "thank_you", "rescheduled"):
        for i in range(5):
            sent(reported, "sms", f"{purpose}.{i}", purpose=purpose)
    with django_assert_num_queries(1):
        assert len(delivery_stats_for_event(event=reported)) == 6


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["6 messages", "Fell back", "not reported", "(67%)"]),
        ("fr", ["6 messages", "Bascul", "non signalé", "(67 %)"]),
        ("ar", ["6 رسائل", "(67٪)"]),
    ],
)
def test_page_shows_the_figures_in_three_languages(reported, organizer_client, language, expected):
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = organizer_client.get(
        reverse("notifications:event_messages", args=[reported.pk])
    ).content.decode()
    row = page.split('data-purpose="reminder" data-channel="whatsapp"')[1].split("</tr>")[0]
    for text in expected:
        assert text in page.split('id="delivery"')[1], text
    assert 'data-figure="fell_back">1 <small>' in row
    # Arabic's plural forms: one message, two, a few, many.
    assert "wa.1" not in page and "+2126" not in page


def test_page_without_sent_messages_says_so(own_event, organizer_client):
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = organizer_client.get(reverse("notifications:event_messages", args=[own_event.pk]))
    assert "No message has been sent yet." in page.content.decode()


def test_admin_shows_the_reported_states_read_only(admin_client):
    message = sent(EventFactory(), "whatsapp", "wa.1", status=Status.READ)
    Message.objects.filter(pk=message.pk).update(
        delivered_at=datetime.datetime.now(tz=datetime.UTC),
        read_at=datetime.datetime.now(tz=datetime.UTC),
    )
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = admin_client.get(
        reverse("admin:notifications_message_change", args=[message.pk])
    ).content.decode()
    assert "Delivered at" in page and "Read at" in page and "Fallback of" in page
    assert 'name="delivered_at' not in page and 'name="read_at' not in page
