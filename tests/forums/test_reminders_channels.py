"""Partner reminders on the contact's phone as well as by e-mail: WhatsApp when the contact
agreed to it and a template exists in their language, else SMS; never on a channel the forum's
message settings turn off or to an address that answered STOP; once per period per channel."""

import datetime

import pytest
from django.utils import timezone

from forums.models import ForumSummary
from forums.reminders import forum_partner_reminders_send
from notifications import sms, whatsapp
from notifications.models import EventNotificationSettings, Message, Purpose
from notifications.services import suppression_add
from notifications.tokens import recipient_hash
from tests.factories import (
    ContactFactory,
    ForumSettingsFactory,
    WhatsAppTemplateFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox, whatsapp.outbox = [], []


@pytest.fixture
def due(closed_forum):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    ForumSummary.objects.filter(event=event).update(released_at=timezone.now() - 31 * DAY)
    return event


def by_channel(contact) -> dict:
    rows = Message.objects.filter(purpose=Purpose.PARTNER_REMINDER, payload__contact=contact.pk)
    return {m.channel: m for m in rows}


def send(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return forum_partner_reminders_send(event=event)


def test_a_contact_with_a_phone_gets_an_sms_in_their_language_and_the_email(
    closed_forum, due, django_capture_on_commit_callbacks
):
    contact = ContactFactory(
        organization=closed_forum.education,
        email="dpen@example.ma",
        phone="+212661000111",
        preferred_language="ar",
    )
    first = send(due, django_capture_on_commit_callbacks)
    rows = by_channel(contact)
    assert set(rows) == {"sms", "email"}
    text = rows["sms"]
    assert text.recipient == "+212661000111" and text.language == "ar"
    assert "ينتظر أخبارا من" in text.body and "/partners/link/" in text.body
    assert text.status == "sent" and [m.to for m in sms.outbox] == ["+212661000111"]
    # The same period: the same rows, nothing sent again.
    assert send(due, django_capture_on_commit_callbacks) == first
    assert len(sms.outbox) == 1
    # The next period: one more of each.
    ForumSummary.objects.filter(event=due).update(released_at=timezone.now() - 38 * DAY)
    send(due, django_capture_on_commit_callbacks)
    assert Message.objects.filter(payload__contact=contact.pk).count() == 4
    assert len(sms.outbox) == 2


def test_whatsapp_only_for_a_contact_who_agreed_and_with_a_template(
    closed_forum, due, django_capture_on_commit_callbacks
):
    agreed = ContactFactory(
        organization=closed_forum.education,
        phone="+212661000222",
        whatsapp_opt_in=True,
        preferred_language="fr",
    )
    no_template = ContactFactory(
        organization=closed_forum.education,
        phone="+212661000333",
        whatsapp_opt_in=True,
        preferred_language="en",
    )
    not_agreed = ContactFactory(
        organization=closed_forum.health, phone="+212661000444", preferred_language="fr"
    )
    WhatsAppTemplateFactory(
        organization=due.organizer,
        purpose="partner_reminder",
        language="fr",
        provider_name="partner_reminder_fr",
        parameters=[["organization", "organization"], ["link", "answers_url"]],
    )
    send(due, django_capture_on_commit_callbacks)
    assert set(by_channel(agreed)) == {"whatsapp", "email"}
    spec = by_channel(agreed)["whatsapp"].payload["whatsapp"]
    assert spec["template"] == "partner_reminder_fr"
    assert spec["parameters"][0] == ["organization", closed_forum.education.name]
    assert "/partners/link/" in spec["parameters"][1][1]
    assert [m.to for m in whatsapp.outbox] == ["+212661000222"]
    # No English template: SMS instead; no yes to WhatsApp: SMS.
    assert set(by_channel(no_template)) == {"sms", "email"}
    assert set(by_channel(not_agreed)) == {"sms", "email"}
    assert sorted(m.to for m in sms.outbox) == ["+212661000333", "+212661000444"]


def test_stop_and_the_forums_settings_are_respected(
    closed_forum, due, django_capture_on_commit_callbacks
):
    stopped = ContactFactory(organization=closed_forum.education, email="", phone="+212661000555")
    other = ContactFactory(organization=closed_forum.health, phone="+212661000666")
    suppression_add(
        channel="sms", hashed_recipient=recipient_hash("sms", "+212661000555"), source="keyword"
    )
    send(due, django_capture_on_commit_callbacks)
    assert by_channel(stopped) == {}
    assert set(by_channel(other)) == {"sms", "email"}

    # A forum whose messages go by e-mail only: the phone gets nothing the next period.
    EventNotificationSettings.objects.filter(event=due).update(sms_enabled=False)
    due = type(due).objects.get(pk=due.pk)  # as the beat reads it, settings included
    ForumSummary.objects.filter(event=due).update(released_at=timezone.now() - 38 * DAY)
    send(due, django_capture_on_commit_callbacks)
    rows = Message.objects.filter(payload__contact=other.pk)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "email", "sms"]
