"""Channel choice and the fallback chain: a person who chose WhatsApp gets templates in their
language; a missing template or a missing opt-in means the next channel; a message that is not
delivered (provider's word, or no receipt in time) goes by the next channel once."""

import datetime

import pytest
from django.core import mail

from core.demographics import AgeBand, Gender
from core.errors import ApplicationError
from events.models import Registration, Ticket
from events.services.registrations import (
    WHATSAPP_OPT_IN_WORDING_VERSION,
    PersonData,
    registration_create,
)
from notifications import services, sms, whatsapp
from notifications.models import Message, Purpose, WhatsAppTemplate
from notifications.rendering import session_start
from notifications.selectors import whatsapp_templates_missing
from notifications.signals import message_undeliverable
from tests.fakes.graph_api import FakeGraphApi

pytestmark = pytest.mark.django_db

CONTACT = PersonData(gender=Gender.FEMALE, age_band=AgeBand.AGE_25_59, first_name="Aminata")


@pytest.fixture(autouse=True)
def clean_whatsapp_outbox(whatsapp_templates):
    whatsapp.outbox = []
    yield
    whatsapp.outbox = []


def register(event, committed, *, members=(), **fields):
    values = {
        "phone": "+212612345678",
        "email": "aminata@example.org",
        "language": "fr",
        "consent_contact": True,
        **fields,
    }
    return committed(
        registration_create,
        event=event,
        contact=CONTACT,
        members=list(members),
        consent_register=True,
        source=Registration.Source.WEB,
        **values,
    )


def on_whatsapp(event, committed, **fields):
    return register(event, committed, preferred_channel="whatsapp", whatsapp_opt_in=True, **fields)


def template_of(outgoing) -> tuple[str, str, dict]:
    return outgoing.template, outgoing.language_code, dict(outgoing.parameters)


def test_the_platform_templates_are_seeded_for_every_registration_purpose_and_language():
    seeded = set(WhatsAppTemplate.objects.values_list("purpose", "language"))
    for purpose in ["confirmation", "reminder", "rescheduled", "cancellation", "thank_you"]:
        for language in ["fr", "ar", "en"]:
            assert (purpose, language) in seeded
    assert (
        WhatsAppTemplate.objects.get(purpose="reminder", language="en").provider_language_code
        == "en_US"
    )


@pytest.mark.parametrize(("language", "code"), [("ar", "ar"), ("en", "en_US"), ("fr", "fr")])
def test_whatsapp_person_gets_confirmation_and_reminders_as_templates_in_their_language(
    event, frozen_now, committed, language, code
):
    registration = on_whatsapp(event, committed, language=language)
    assert sms.outbox == [] and mail.outbox == []
    [confirmation] = whatsapp.outbox
    ticket = Ticket.objects.get(attendee__registration=registration)
    name, language_code, params = template_of(confirmation)
    assert (name, language_code) == ("multaqa_confirmation", code)
    assert params["codes"] == str(ticket)
    assert params["link"].endswith(ticket.get_absolute_url())
    assert confirmation.to == "+212612345678"
    sent = Message.objects.get(purpose="confirmation")
    assert (sent.channel, sent.status) == ("whatsapp", "sent")
    assert sent.provider_id.startswith("wamid.")
    assert str(ticket) in sent.body  # organizers read what the template says

    reminders = Message.objects.filter(purpose="reminder").order_by("scheduled_at")
    assert [(m.channel, m.offset_minutes) for m in reminders] == [
        ("whatsapp", 2880),
        ("whatsapp", 180),
    ]
    start = session_start(event.sessions.get())
    for reminder in reminders:
        frozen_now.move_to(reminder.scheduled_at + datetime.timedelta(seconds=1))
        committed(services.messages_dispatch)
    assert [m.template for m in whatsapp.outbox] == [
        "multaqa_confirmation",
        "multaqa_reminder",
        "multaqa_reminder",
    ]
    _name, _code, params = template_of(whatsapp.outbox[-1])
    assert params["time"] == f"{start:%H:%M}"
    assert params["place"].startswith(event.sessions.get().venue.name)
    assert sms.outbox == [] and mail.outbox == []


def test_a_language_without_template_goes_by_the_next_channel_never_a_broken_message(
    event, frozen_now, committed
):
    WhatsAppTemplate.objects.filter(purpose="confirmation", language="ar").delete()
    on_whatsapp(event, committed, language="ar")
    assert whatsapp.outbox == [] and mail.outbox == []
    [text] = sms.outbox
    assert any("\u0600" <= ch <= "\u06ff" for ch in text.body)  # the Arabic SMS text
    channels = dict(Message.objects.values_list("purpose", "channel").distinct())
    assert channels == {"confirmation": "sms", "reminder": "whatsapp"}


def test_an_inactive_template_counts_as_missing(event, frozen_now, committed):
    WhatsAppTemplate.objects.filter(purpose="confirmation").update(is_active=False)
    on_whatsapp(event, committed)
    assert whatsapp.outbox == [] and len(sms.outbox) == 1


def test_whatsapp_is_never_used_without_the_opt_in(event, frozen_now, committed):
    with pytest.raises(ApplicationError) as error:
        register(event, committed, preferred_channel="whatsapp", whatsapp_opt_in=False)
    assert "whatsapp_opt_in" in error.value.field_errors
    assert not Registration.objects.exists()
    # A row written some other way (admin) with the preference but no opt-in: SMS, not WhatsApp.
    from tests.notifications.conftest import ticket_for

    ticket = ticket_for(event, preferred_channel="whatsapp", whatsapp_opt_in=False)
    committed(
        services.registration_confirmation_send, registration_id=ticket.attendee.registration_id
    )
    assert whatsapp.outbox == [] and len(sms.outbox) == 1


def test_the_opt_in_is_recorded_with_its_wording_version_and_time(event, frozen_now, committed):
    registration = on_whatsapp(event, committed)
    registration.refresh_from_db()
    assert registration.whatsapp_opt_in
    assert registration.whatsapp_opt_in_wording_version == WHATSAPP_OPT_IN_WORDING_VERSION
    assert registration.whatsapp_opt_in_recorded_at == frozen_now_value()
    other = register(event, committed, phone="+212612345679")
    assert (other.whatsapp_opt_in, other.whatsapp_opt_in_wording_version) == (False, "")
    assert other.whatsapp_opt_in_recorded_at is None


def frozen_now_value():
    from tests.notifications.conftest import NOW

    return NOW


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"preferred_channel": "whatsapp", "whatsapp_opt_in": True, "phone": ""}, "phone"),
        ({"preferred_channel": "sms", "phone": ""}, "phone"),
        ({"preferred_channel": "email", "email": ""}, "email"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
    ],
)
def test_a_chosen_channel_needs_its_address(event, frozen_now, committed, fields, field):
    with pytest.raises(ApplicationError) as error:
        register(event, committed, **fields)
    assert field in error.value.field_errors


def test_sms_preferred_goes_by_sms_only(event, frozen_now, committed):
    register(event, committed, preferred_channel="sms")
    assert len(sms.outbox) == 1 and mail.outbox == [] and whatsapp.outbox == []


def test_no_preference_keeps_every_allowed_channel_but_whatsapp(event, frozen_now, committed):
    register(event, committed)
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1 and whatsapp.outbox == []


def test_household_codes_reach_the_contact_in_the_whatsapp_template(event, frozen_now, committed):
    members = [
        PersonData(gender=Gender.MALE, age_band=AgeBand.AGE_5_11, first_name=name)
        for name in ["Awa", "Moussa", "Fatou", "Ibrahim"]
    ]
    registration = on_whatsapp(event, committed, members=members, kind=Registration.Kind.HOUSEHOLD)
    [confirmation] = whatsapp.outbox
    params = dict(confirmation.parameters)
    codes = Ticket.objects.filter(attendee__registration=registration)
    assert codes.count() == 5
    for ticket in codes:
        assert str(ticket) in params["codes"]  # all five, not the first three as in an SMS
    assert params["link"].endswith(registration.get_absolute_url())


def sent_sms_confirmation(event, committed):
    register(event, committed, preferred_channel="sms")
    return Message.objects.get(purpose="confirmation", channel="sms", status="sent")


def test_an_undeliverable_sms_falls_back_to_email_once(event, frozen_now, committed):
    message = sent_sms_confirmation(event, committed)
    message.status = Message.Status.FAILED
    message.save()
    for _replay in range(3):  # the provider's report, replayed
        committed(message_undeliverable.send, sender=Message, message=message, reason="expired")
    [fallback] = message.fallbacks.all()
    assert (fallback.channel, fallback.status, fallback.recipient) == (
        "email",
        "sent",
        "aminata@example.org",
    )
    assert fallback.idempotency_key == f"{message.idempotency_key}>email"
    [email] = mail.outbox
    assert str(Ticket.objects.get()) in email.body
    assert Message.objects.filter(purpose="confirmation").count() == 2


def test_an_sms_without_receipt_falls_back_after_the_purposes_deadline(
    event, frozen_now, committed, settings
):
    settings.NOTIFICATIONS_FALLBACK_AFTER_MINUTES = {"confirmation": 60}
    message = sent_sms_confirmation(event, committed)
    frozen_now.shift(datetime.timedelta(minutes=59))
    assert committed(services.messages_fallback_sweep) == 0
    frozen_now.shift(datetime.timedelta(minutes=2))
    assert committed(services.messages_fallback_sweep) == 1
    assert committed(services.messages_fallback_sweep) == 0
    [fallback] = message.fallbacks.all()
    assert fallback.channel == "email" and len(mail.outbox) == 1


def test_a_delivered_message_never_falls_back(event, frozen_now, committed):
    message = sent_sms_confirmation(event, committed)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.DELIVERED)
    frozen_now.shift(datetime.timedelta(days=1))
    assert committed(services.messages_fallback_sweep) == 0
    committed(message_undeliverable.send, sender=Message, message=message, reason="late report")
    assert not message.fallbacks.exists() and mail.outbox == []


def test_no_fallback_once_the_session_has_started(event, frozen_now, committed):
    register(event, committed, preferred_channel="sms")
    Message.objects.filter(purpose="confirmation").update(status=Message.Status.DELIVERED)
    reminder = Message.objects.get(purpose="reminder", offset_minutes=180)
    frozen_now.move_to(reminder.scheduled_at + datetime.timedelta(seconds=1))
    committed(services.messages_dispatch)
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    frozen_now.shift(datetime.timedelta(hours=3))  # the session has begun: too late to help
    assert committed(services.messages_fallback_sweep) == 0
    assert services.message_fall_back(message_id=reminder.pk, reason="x") is None


def test_no_fallback_for_an_event_that_is_over(event, frozen_now, committed):
    message = sent_sms_confirmation(event, committed)
    frozen_now.move_to(
        datetime.datetime.combine(event.end_date, datetime.time(23, 0), tzinfo=datetime.UTC)
        + datetime.timedelta(days=1)
    )
    assert committed(services.messages_fallback_sweep) == 0
    assert services.message_fall_back(message_id=message.pk, reason="x") is None


def test_no_preference_means_no_fallback_since_every_channel_was_used(event, frozen_now, committed):
    register(event, committed)
    message = Message.objects.get(purpose="confirmation", channel="sms")
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
    committed(message_undeliverable.send, sender=Message, message=message, reason="expired")
    assert not message.fallbacks.exists()
    assert len(mail.outbox) == 1  # the one sent with the SMS, not a second


def test_whatsapp_refused_by_the_api_falls_back_to_sms_then_email(
    event, frozen_now, committed, settings
):
    """The whole chain, each channel once: WhatsApp's API refuses the number (permanent), the SMS
    is reported undeliverable, the e-mail goes."""
    graph = FakeGraphApi().start()
    try:
        settings.WHATSAPP_BACKEND = "notifications.whatsapp.backends.http.WhatsAppBackend"
        settings.WHATSAPP_GRAPH_URL = graph.base_url
        settings.WHATSAPP_PHONE_NUMBER_ID = graph.phone_number_id
        settings.WHATSAPP_ACCESS_TOKEN = graph.token
        graph.error(400, 131026, "Message undeliverable")
        on_whatsapp(event, committed)
    finally:
        graph.stop()
    first = Message.objects.get(purpose="confirmation", channel="whatsapp")
    assert first.status == "failed" and "(error 131026)" in first.last_error
    [second] = first.fallbacks.all()
    assert (second.channel, second.status) == ("sms", "sent")
    assert len(sms.outbox) == 1 and mail.outbox == []
    Message.objects.filter(pk=second.pk).update(status=Message.Status.FAILED)
    second.refresh_from_db()
    committed(message_undeliverable.send, sender=Message, message=second, reason="expired")
    committed(message_undeliverable.send, sender=Message, message=first, reason="replayed")
    [third] = second.fallbacks.all()
    assert third.channel == "email" and len(mail.outbox) == 1
    committed(message_undeliverable.send, sender=Message, message=third, reason="bounced")
    assert Message.objects.filter(purpose="confirmation").count() == 3


def test_email_preferred_falls_back_to_whatsapp_for_someone_who_opted_in(
    event, frozen_now, committed
):
    register(event, committed, preferred_channel="email", whatsapp_opt_in=True)
    message = Message.objects.get(purpose="confirmation")
    assert message.channel == "email"
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
    message.refresh_from_db()
    committed(message_undeliverable.send, sender=Message, message=message, reason="bounced")
    assert message.fallbacks.get().channel == "whatsapp"
    assert len(whatsapp.outbox) == 1


def test_free_text_only_inside_the_24_hour_window(event, frozen_now, committed):
    from tests.notifications.conftest import NOW

    wrote = NOW - datetime.timedelta(hours=23, minutes=59)
    assert services.whatsapp_reply_allowed(last_inbound_at=wrote)
    assert not services.whatsapp_reply_allowed(last_inbound_at=NOW - datetime.timedelta(hours=24))
    assert not services.whatsapp_reply_allowed(last_inbound_at=None)
    message = committed(
        services.whatsapp_text_send,
        phone="+212612345678",
        text="La salle est au premier étage.",
        last_inbound_at=wrote,
        event=event,
    )
    [outgoing] = whatsapp.outbox
    assert (outgoing.is_template, outgoing.text) == (False, "La salle est au premier étage.")
    message.refresh_from_db()
    assert (message.purpose, message.status) == (Purpose.REPLY, "sent")
    for when, text, code in [
        (NOW - datetime.timedelta(days=2), "Bonjour", "window_closed"),
        (wrote, "   ", "empty_text"),
        (wrote, "x" * 5000, "text_too_long"),
    ]:
        with pytest.raises(ApplicationError) as error:
            services.whatsapp_text_send(phone="+212612345678", text=text, last_inbound_at=when)
        assert error.value.code == code
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1


def test_the_admin_lists_purposes_and_languages_without_template():
    from core.models import Language

    missing = whatsapp_templates_missing()
    # Nothing seeded for "sorry we missed you": it goes by SMS or e-mail, and the admin says so.
    assert (Purpose.MISSED_YOU.label, Language.ARABIC.label) in missing
    assert not any(purpose == Purpose.REMINDER.label for purpose, _language in missing)
    WhatsAppTemplate.objects.filter(purpose="reminder", language="ar").delete()
    assert (Purpose.REMINDER.label, Language.ARABIC.label) in whatsapp_templates_missing()
