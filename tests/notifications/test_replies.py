"""People answering our SMS, end to end through the provider's inbound callback: STOP opts out,
yes confirms, no cancels and moves the waiting list, anything else waits in the inbox."""

import datetime
from urllib.parse import urlencode

import pytest

from events.models import Registration, Ticket
from notifications import sms
from notifications.models import InboundMessage, Message, Purpose, Suppression
from notifications.tokens import recipient_hash
from tests.factories import AttendeeFactory, EventFactory, SessionFactory, TicketFactory

from .conftest import ticket_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/sms/inbound"
SECRET = "inbound-secret"  # noqa: S105


@pytest.fixture(autouse=True)
def inbound_secret(settings):
    settings.SMS_INBOUND_TOKEN = SECRET


def post_form(client, data, *, secret=SECRET, query=""):
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    return client.post(
        URL + query,
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def post_json(client, data, *, secret=SECRET):
    return client.post(
        URL, data, content_type="application/json", headers={"Authorization": f"Bearer {secret}"}
    )


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post like the provider, with the transaction's after-commit work (the send tasks) run."""
    counter = iter(range(1, 10_000))

    def run(phone, text, *, provider_id=None, **extra):
        data = {"from": phone, "text": text, "id": provider_id or f"in-{next(counter)}", **extra}
        with django_capture_on_commit_callbacks(execute=True):
            response = post_form(client, data)
        assert response.status_code == 200, response.content
        return response

    return run


def sms_to(phone):
    return [message for message in sms.outbox if message.to == phone]


def test_yes_confirms_the_registration_and_answers_in_its_language(send, event):
    ticket = ticket_for(event, language="ar")
    registration = ticket.attendee.registration
    send(registration.phone, "نعم")
    registration.refresh_from_db()
    assert registration.answer == Registration.Answer.CONFIRMED
    assert registration.answered_at is not None
    inbound = InboundMessage.objects.get()
    assert inbound.action == "confirm" and inbound.handled_at is not None
    assert inbound.registration == registration and inbound.event == event
    (answer,) = sms_to(registration.phone)
    assert "ملتقى" in answer.body
    assert inbound.reply.purpose == Purpose.REPLY and inbound.reply.status == "sent"


def test_yes_in_arabic_digit_confirms(send, event):
    registration = ticket_for(event).attendee.registration
    send(registration.phone.replace("+212", "0"), "١")
    registration.refresh_from_db()
    assert registration.answer == Registration.Answer.CONFIRMED


def test_a_repeated_yes_changes_nothing_and_gets_no_second_answer(send, event):
    registration = ticket_for(event).attendee.registration
    send(registration.phone, "OUI")
    send(registration.phone, "oui")
    assert len(sms_to(registration.phone)) == 1
    assert InboundMessage.objects.count() == 2


def test_the_same_provider_id_is_stored_and_acted_on_once(send, event):
    registration = ticket_for(event).attendee.registration
    send(registration.phone, "1", provider_id="abc-1")
    send(registration.phone, "1", provider_id="abc-1")
    assert InboundMessage.objects.count() == 1
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1


def test_stop_opts_out_of_sms_cancels_pending_and_confirms_once(send, event):
    registration = ticket_for(event).attendee.registration
    hashed = recipient_hash("sms", registration.phone)
    reminder = Message.objects.create(
        channel="sms",
        recipient=registration.phone,
        recipient_hash=hashed,
        language="fr",
        purpose=Purpose.REMINDER,
        body="Rappel",
        idempotency_key="reminder-1",
        scheduled_at=event.created_at + datetime.timedelta(days=30),
        event=event,
        registration=registration,
    )
    send(registration.phone, "Arrêt")
    assert Suppression.objects.get().recipient_hash == hashed
    reminder.refresh_from_db()
    assert reminder.status == Message.Status.CANCELLED
    (ack,) = sms_to(registration.phone)
    assert Message.objects.get(purpose=Purpose.OPT_OUT_ACK).status == Message.Status.SENT
    send(registration.phone, "STOP all")
    assert sms_to(registration.phone) == [ack]
    assert Suppression.objects.count() == 1


def test_stop_from_an_unknown_number_opts_out_too(send, db):
    send("+212612999999", "stop")
    assert Suppression.objects.get().recipient_hash == recipient_hash("sms", "+212612999999")
    assert InboundMessage.objects.get().registration is None


def test_no_cancels_and_the_waiting_list_moves_with_one_offer(send, db):
    event = EventFactory(capacity=1)
    SessionFactory(event=event)
    leaving = TicketFactory(attendee=AttendeeFactory(registration__event=event))
    waiting = TicketFactory(
        attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
    )
    after = TicketFactory(
        attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
    )
    leaving_phone = leaving.attendee.registration.phone
    waiting_phone = waiting.attendee.registration.phone
    send(leaving_phone, "2")
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    after.refresh_from_db()
    assert leaving.status == Ticket.Status.CANCELLED
    assert leaving.attendee.registration.answer == Registration.Answer.DECLINED
    assert waiting.status == Ticket.Status.VALID
    assert after.status == Ticket.Status.WAITLISTED
    (offer,) = sms_to(waiting_phone)
    assert waiting.short_code in offer.body.replace("-", "")
    assert Message.objects.filter(registration=waiting.attendee.registration).count() >= 1
    (answer,) = sms_to(leaving_phone)
    assert "annul" in answer.body
    # A second "NON" finds nothing to cancel: no one else moves, no one gets another message.
    send(leaving_phone, "NON")
    after.refresh_from_db()
    assert after.status == Ticket.Status.WAITLISTED
    assert len(sms_to(waiting_phone)) == 1 and len(sms_to(leaving_phone)) == 1


def test_a_question_lands_in_the_inbox_unhandled(send, event):
    registration = ticket_for(event).attendee.registration
    send(registration.phone, "Non, c'est à quelle heure ?")
    inbound = InboundMessage.objects.get()
    assert inbound.action == "none" and inbound.handled_at is None and inbound.event == event
    assert not sms_to(registration.phone)
    assert Ticket.objects.get().status == Ticket.Status.VALID


def test_the_reply_is_matched_to_the_upcoming_event_last_messaged(send, db):
    phone = "+212611223344"
    past = EventFactory(start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 5))
    soon, later = EventFactory(), EventFactory()
    for event in (past, soon, later):
        SessionFactory(event=event)
        ticket_for(event, phone=phone)
    later_registration = later.registrations.get()
    Message.objects.create(
        channel="sms",
        recipient=phone,
        recipient_hash=recipient_hash("sms", phone),
        language="fr",
        purpose=Purpose.REMINDER,
        body="Rappel",
        idempotency_key="reminder-later",
        scheduled_at=later.created_at,
        sent_at=later.created_at,
        status=Message.Status.SENT,
        event=later,
        registration=later_registration,
    )
    send(phone, "1")
    assert InboundMessage.objects.get().registration == later_registration


def test_json_body_and_secret_in_the_query_are_accepted(client, event):
    registration = ticket_for(event).attendee.registration
    response = post_form(
        client,
        {"from": registration.phone, "text": "yes", "id": "q-1", "timestamp": "1764400000"},
        secret=None,
        query=f"?secret={SECRET}",
    )
    assert response.status_code == 200 and response.json() == {"received": True}
    response = post_json(
        client,
        {
            "from": registration.phone,
            "text": "hello",
            "id": "j-1",
            "timestamp": "2026-11-29T10:00:00Z",
        },
    )
    assert response.status_code == 200
    stored = InboundMessage.objects.get(provider_id="j-1")
    assert stored.received_at == datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)
    assert registration.phone not in str(InboundMessage.objects.values_list())


@pytest.mark.parametrize("secret", ["wrong", "", "inbound-secret-and-more"])
def test_a_wrong_secret_is_refused_with_403(client, secret):
    response = post_form(
        client, {"from": "+212612345678", "text": "STOP", "id": "x"}, secret=secret
    )
    assert response.status_code == 403
    assert response.json()["code"] == "bad_secret"
    assert not InboundMessage.objects.exists()


def test_no_configured_secret_closes_the_callback(client, settings):
    settings.SMS_INBOUND_TOKEN = ""
    response = post_form(client, {"from": "+212612345678", "text": "STOP", "id": "x"}, secret="")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        ("{not json", "application/json", "invalid_json"),
        ("[1, 2]", "application/json", "invalid_json"),
        ('{"text": "STOP", "id": "x"}', "application/json", "invalid_sender"),
        ('{"from": "abc", "text": "STOP", "id": "x"}', "application/json", "invalid_sender"),
        ('{"from": "+212612345678", "text": "STOP"}', "application/json", "invalid_id"),
        ('{"from": "+212612345678", "text": ["x"], "id": "x"}', "application/json", "invalid"),
        (
            '{"from": "+212612345678", "text": "1", "id": "x", "timestamp": "yesterday"}',
            "application/json",
            "invalid_timestamp",
        ),
        (
            '{"from": "+212612345678", "text": "' + "x" * 1601 + '", "id": "x"}',
            "application/json",
            "invalid_text",
        ),
        ("from=%2B212612345678&text=1&id=x", "text/plain", "invalid_content_type"),
    ],
)
def test_malformed_bodies_get_a_400_that_says_why(client, body, content_type, code):
    response = client.post(
        URL, body, content_type=content_type, headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["detail"]
    assert not InboundMessage.objects.exists()


def test_erasure_blanks_what_the_person_wrote(send, event):
    from events.services.retention import registration_erase
    from tests.factories import UserFactory

    registration = ticket_for(event).attendee.registration
    send(registration.phone, "Je viendrai avec ma soeur")
    registration_erase(registration=registration, actor=UserFactory(is_superuser=True))
    inbound = InboundMessage.objects.get()
    assert inbound.text == "" and inbound.sender_hash == ""


def test_unmatched_messages_are_deleted_after_their_time(send, settings):
    from django.utils import timezone

    from notifications.services import inbound_forget_unmatched

    send("+212612999999", "qui est-ce ?")
    later = timezone.now() + datetime.timedelta(days=settings.NOTIFICATIONS_INBOUND_UNMATCHED_DAYS)
    assert inbound_forget_unmatched(now=later - datetime.timedelta(hours=1)) == 0
    assert inbound_forget_unmatched(now=later + datetime.timedelta(hours=1)) == 1
    assert not InboundMessage.objects.exists()


def test_an_unknown_number_s_stop_confirmation_forgets_the_number_in_time(send, settings):
    from django.utils import timezone

    from notifications.services import inbound_forget_unmatched

    send("+212612999999", "STOP")
    ack = Message.objects.get(purpose=Purpose.OPT_OUT_ACK)
    assert ack.recipient == "+212612999999"
    later = timezone.now() + datetime.timedelta(
        days=settings.NOTIFICATIONS_INBOUND_UNMATCHED_DAYS, hours=1
    )
    inbound_forget_unmatched(now=later)
    ack.refresh_from_db()
    assert ack.recipient == "" and ack.body == ""
    assert Suppression.objects.exists()


def test_the_participant_s_page_shows_the_answer_in_their_language(client, send, event):
    registration = ticket_for(event, language="ar").attendee.registration
    send(registration.phone, "نعم")
    page = client.get(registration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")
    assert "أخبرتنا أنك ستحضر" in page.content.decode()
    send(registration.phone, "لا")
    page = client.get(registration.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")
    assert "لقد ألغيت هذا التسجيل بالرد" in page.content.decode()


@pytest.mark.parametrize("written", ["{e164}", "{e164_no_plus}", "00{e164_no_plus}", "0{local}"])
def test_the_sender_number_is_read_in_the_forms_providers_send(send, event, written):
    registration = ticket_for(event).attendee.registration
    e164 = registration.phone
    sender = written.format(e164=e164, e164_no_plus=e164[1:], local=e164[4:])
    send(sender, "1")
    assert InboundMessage.objects.get().registration == registration


def test_a_yes_from_the_waiting_list_waits_for_a_person(send, db):
    event = EventFactory(capacity=1)
    SessionFactory(event=event)
    TicketFactory(attendee=AttendeeFactory(registration__event=event))
    waiting = TicketFactory(
        attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
    )
    registration = waiting.attendee.registration
    send(registration.phone, "oui")
    registration.refresh_from_db()
    assert registration.answer == ""
    inbound = InboundMessage.objects.get()
    assert inbound.handled_at is None and inbound.event == event
    assert not sms_to(registration.phone)


def test_through_a_real_http_provider_the_place_offer_and_the_answer_go_out(send, settings, db):
    """The SMS leave through the HTTP backend to a local fake provider, which plays the person
    answering "2" through the callback."""
    from tests.notifications.test_sms import FakeGateway

    gateway = FakeGateway()
    settings.SMS_BACKEND = "notifications.sms.backends.http.SmsBackend"
    settings.SMS_HTTP_URL = gateway.url
    try:
        event = EventFactory(capacity=1)
        SessionFactory(event=event)
        leaving = TicketFactory(attendee=AttendeeFactory(registration__event=event))
        waiting = TicketFactory(
            attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
        )
        send(leaving.attendee.registration.phone, "٢")
    finally:
        gateway.close()
    sent = {
        (request["body"]["to"], request["headers"]["Idempotency-Key"])
        for request in gateway.requests
    }
    reply = Message.objects.get(purpose=Purpose.REPLY)
    offer = Message.objects.get(
        registration=waiting.attendee.registration, purpose=Purpose.CONFIRMATION
    )
    assert sent == {
        (leaving.attendee.registration.phone, reply.idempotency_key),
        (waiting.attendee.registration.phone, offer.idempotency_key),
    }
    assert offer.status == Message.Status.SENT


def test_a_no_after_the_event_changes_no_ticket(send, db):
    import time_machine

    event = EventFactory()
    SessionFactory(event=event)
    ticket = ticket_for(event)
    with time_machine.travel(
        datetime.datetime.combine(event.end_date + datetime.timedelta(days=3), datetime.time(12))
    ):
        send(ticket.attendee.registration.phone, "non")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID
    inbound = InboundMessage.objects.get()
    assert inbound.event == event and inbound.handled_at is None
