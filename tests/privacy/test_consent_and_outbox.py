"""Consent is recorded with its wording version; nobody is contacted without it; the outbox
forgets addresses and texts when a registration is erased."""

import datetime

import pytest
import time_machine

from events.models import Registration
from events.services.retention import registration_erase
from notifications.models import Message
from tests.events.registration_form import form_data
from tests.factories import MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db
BEFORE_EVENT = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def register(client, event, *, consent_contact: bool):
    data = form_data(
        **{
            "contact-first_name": "Hafsa",
            "contact-phone": "06 70 00 00 01",
            "contact-email": "hafsa@example.net",
        }
    )
    if consent_contact:
        data["contact-consent_contact"] = "on"
    response = client.post(f"/events/{event.pk}/register/", data)
    assert response.status_code == 302
    return Registration.objects.get(event=event)


@pytest.mark.parametrize("consent_contact", [False, True])
def test_consent_is_recorded_and_only_consenting_people_get_messages(
    client, django_capture_on_commit_callbacks, consent_contact
):
    event = SessionFactory().event
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        registration = register(client, event, consent_contact=consent_contact)

    assert registration.consent_contact is consent_contact
    assert registration.consent_recorded_at == BEFORE_EVENT
    assert registration.consent_wording_version
    messages = Message.objects.filter(registration=registration)
    assert messages.exists() is consent_contact


def test_erasure_blanks_the_outbox_of_the_registration(client, django_capture_on_commit_callbacks):
    event = SessionFactory().event
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        registration = register(client, event, consent_contact=True)
    assert Message.objects.filter(registration=registration).exclude(recipient="").exists()
    organizer = MembershipFactory(organization=event.organizer).user

    registration_erase(registration=registration, actor=organizer)

    for message in Message.objects.filter(registration=registration):
        assert message.recipient == "" and message.body == ""
        assert "Hafsa" not in message.subject
        assert message.status != Message.Status.SCHEDULED
