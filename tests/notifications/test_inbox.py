"""The organizers' inbox: a question lands on the event's messages page, an organizer answers
once, through the outbox, by WhatsApp inside the 24-hour window and by SMS otherwise; and the
answers' figures for the next session."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration, Ticket
from events.selectors.registrations import event_answer_figures
from notifications import sms
from notifications.inbox_context import answers_lines
from notifications.models import InboundMessage, Message, Purpose
from notifications.services import inbound_receive
from tests.factories import AttendeeFactory, MembershipFactory, TicketFactory, UserFactory

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(event):
    user = UserFactory()
    MembershipFactory(user=user, organization=event.organizer)
    return user


def question(event, *, channel="sms", text="Y a-t-il une garderie ?", provider_id="q-1"):
    registration = ticket_for(event).attendee.registration
    inbound_receive(
        channel=channel,
        phone=registration.phone,
        text=text,
        provider_id=provider_id,
        received_at=timezone.now(),
    )
    return InboundMessage.objects.get(provider_id=provider_id)


def test_the_question_shows_in_the_inbox_and_the_answer_goes_by_sms_once(
    client, event, organizer, django_capture_on_commit_callbacks
):
    inbound = question(event)
    client.force_login(organizer)
    page = client.get(reverse("notifications:event_messages", args=[event.pk]))
    assert "Y a-t-il une garderie ?" in page.content.decode()
    url = reverse("notifications:inbox_answer", args=[event.pk, inbound.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "reply", "text": "Oui, de 9h à 12h."})
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.handled_at and inbound.handled_by == organizer
    assert inbound.reply.channel == "sms" and inbound.reply.purpose == Purpose.REPLY
    (sent,) = sms.outbox
    assert sent.to == inbound.registration.phone and sent.body == "Oui, de 9h à 12h."
    # A second answer (a double click, a colleague) is refused with a message, nothing is sent.
    response = client.post(url, {"action": "reply", "text": "Encore"}, follow=True)
    assert "déjà reçu une réponse" in response.content.decode()
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1


def test_inside_the_whatsapp_window_the_answer_goes_by_whatsapp(client, event, organizer):
    inbound = question(event, channel="whatsapp")
    client.force_login(organizer)
    page = client.get(reverse("notifications:event_messages", args=[event.pk]))
    assert "Répondre par WhatsApp" in page.content.decode()
    client.post(
        reverse("notifications:inbox_answer", args=[event.pk, inbound.pk]),
        {"action": "reply", "text": "Bien sûr"},
    )
    assert Message.objects.get(purpose=Purpose.REPLY).channel == "whatsapp"


def test_after_the_window_the_answer_goes_by_sms(client, event, organizer, time_machine):
    inbound = question(event, channel="whatsapp")
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=25))
    client.force_login(organizer)
    client.post(
        reverse("notifications:inbox_answer", args=[event.pk, inbound.pk]),
        {"action": "reply", "text": "Bien sûr"},
    )
    assert Message.objects.get(purpose=Purpose.REPLY).channel == "sms"


def test_an_empty_answer_is_refused_and_mark_handled_works(client, event, organizer):
    inbound = question(event)
    client.force_login(organizer)
    url = reverse("notifications:inbox_answer", args=[event.pk, inbound.pk])
    response = client.post(url, {"action": "reply", "text": "  "}, follow=True)
    assert "au plus 640" in response.content.decode()
    assert not Message.objects.exists()
    client.post(url, {"action": "handled"})
    inbound.refresh_from_db()
    assert inbound.handled_at is not None and inbound.reply is None


def test_another_organisation_cannot_see_or_answer(client, event):
    inbound = question(event)
    client.force_login(MembershipFactory().user)
    url = reverse("notifications:inbox_answer", args=[event.pk, inbound.pk])
    assert client.post(url, {"action": "reply", "text": "x"}).status_code == 404
    assert not Message.objects.exists()


def test_answers_figures_for_the_next_session_in_two_queries(
    event, django_assert_num_queries, settings
):
    for answer in ("confirmed", "confirmed", "", ""):
        ticket_for(event, answer=answer)
    declined = ticket_for(event, answer=Registration.Answer.DECLINED)
    Ticket.objects.filter(pk=declined.pk).update(status=Ticket.Status.CANCELLED)
    TicketFactory(
        attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
    )
    day_before = event.sessions.get().date - datetime.timedelta(days=1)
    with django_assert_num_queries(2):
        figures = event_answer_figures(event=event, today=day_before)
    assert (figures.expected, figures.confirmed, figures.declined) == (4, 2, 1)
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        assert answers_lines(event=event, today=day_before) == [
            "Confirmed for tomorrow: 2 of 4 people.",
            "Cancelled by reply: 1 person.",
        ]
    with translation.override("ar"):
        line = answers_lines(event=event, today=day_before)[0]
    assert "للغد" in line and "4 أشخاص" in line
