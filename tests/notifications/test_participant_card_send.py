"""Sending a participant their card's link: to the address of their most recent registration,
only with consent and never after an opt-out, in their preferred language, once per card and
channel; the text holds the card link and no name."""

import pytest
from django.core import mail

from core.errors import ApplicationError
from notifications import sms
from notifications.models import Message, Purpose
from notifications.services.cards import participant_card_send
from notifications.services.opt_out import suppression_add
from notifications.tokens import recipient_hash
from participants.models import ParticipantLink
from participants.services.cards import card_issue
from tests.factories import AttendeeFactory, MembershipFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def registered(participant, event, **registration_fields):
    attendee = AttendeeFactory(
        registration__event=event,
        first_name="Amina",
        **{f"registration__{k}": v for k, v in registration_fields.items()},
    )
    ParticipantLink.objects.filter(attendee=attendee).delete()
    ParticipantLink.objects.create(attendee=attendee, participant=participant)
    return attendee.registration


@pytest.fixture
def participant(event):
    return ParticipantFactory(organization=event.organizer, preferred_language="ar")


@pytest.fixture
def card(participant):
    return card_issue(participant=participant, actor=None)


def test_the_link_goes_by_sms_in_the_preferred_language_with_no_name(
    event, participant, card, django_capture_on_commit_callbacks
):
    registered(participant, event, phone="+212600000001", contact_name="Amina Benali")
    latest = registered(participant, event, phone="+212600000002", contact_name="Amina Benali")

    with django_capture_on_commit_callbacks(execute=True):
        message = participant_card_send(card=card, channel="sms")

    assert message.purpose == Purpose.PARTICIPANT_CARD
    assert message.language == "ar" and message.registration_id == latest.pk
    [sent] = sms.outbox
    assert sent.to == "+212600000002"
    assert f"/cards/{card.secret}/" in sent.body
    assert "Amina" not in sent.body and "Benali" not in sent.body
    assert "ملتقى" in sent.body


def test_sending_twice_queues_one_message(
    event, participant, card, django_capture_on_commit_callbacks
):
    registered(participant, event, phone="+212600000003")
    with django_capture_on_commit_callbacks(execute=True):
        participant_card_send(card=card, channel="sms")
        participant_card_send(card=card, channel="sms")
    assert Message.objects.filter(purpose=Purpose.PARTICIPANT_CARD).count() == 1
    assert len(sms.outbox) == 1


def test_no_message_without_consent_even_if_an_older_registration_consented(
    event, participant, card
):
    registered(participant, event, phone="+212600000004", consent_contact=True)
    registered(participant, event, phone="+212600000005", consent_contact=False)

    with pytest.raises(ApplicationError) as refused:
        participant_card_send(card=card, channel="sms")

    assert refused.value.code == "no_consent"
    assert not Message.objects.exists()


def test_no_message_to_an_address_that_opted_out(event, participant, card):
    registered(participant, event, email="amina@example.org")
    suppression_add(
        channel="email",
        hashed_recipient=recipient_hash("email", "amina@example.org"),
        source="link",
    )
    with pytest.raises(ApplicationError) as refused:
        participant_card_send(card=card, channel="email")
    assert refused.value.code == "opted_out"
    assert not mail.outbox


def test_the_organizer_page_and_api_send_the_link(
    client, event, participant, card, django_capture_on_commit_callbacks
):
    registered(participant, event, phone="+212600000006")
    organizer = MembershipFactory(organization=event.organizer).user
    client.force_login(organizer)

    page = client.get(f"/organizer/participants/{participant.pk}/card/")
    assert b"/send-card/" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/participants/{participant.pk}/card/send",
            {"channel": "sms"},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    assert len(sms.outbox) == 1
    response = client.post(
        f"/organizer/participants/{participant.pk}/send-card/", {"channel": "email"}
    )
    assert response.status_code == 302
    assert not Message.objects.filter(channel="email").exists()  # no e-mail address known
