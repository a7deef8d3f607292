"""The default e-mail backend when EMAIL_BACKEND is unset: whole messages in development, nothing
that reaches a person or opens a ticket in a production worker's output."""

import os

import pytest

from notifications.models import Message
from notifications.services.scheduling import registration_confirmation_send

from .conftest import ticket_for

pytestmark = pytest.mark.django_db
DEFAULT_BACKEND = "notifications.email.console.EmailBackend"
EMAIL = "amina.private@example.net"


def send_confirmation(event, committed):
    ticket = ticket_for(event, contact_name="Amina", email=EMAIL, phone="", consent_contact=True)
    ticket.attendee.first_name = "Amina"
    ticket.attendee.save()
    committed(registration_confirmation_send, registration_id=ticket.attendee.registration_id)
    message = Message.objects.get(channel="email")
    assert message.status == Message.Status.SENT
    return ticket, message


def project_default_backend() -> str:
    """EMAIL_BACKEND as config/settings.py sets it (pytest-django swaps in locmem for tests)."""
    from config import settings as project_settings

    return project_settings.EMAIL_BACKEND


def test_the_masking_console_backend_is_the_default_when_email_backend_is_unset():
    from config import settings as project_settings

    assert os.environ.get("EMAIL_BACKEND", DEFAULT_BACKEND) == project_settings.EMAIL_BACKEND


def test_outside_debug_the_default_backend_prints_no_address_name_or_ticket_link(
    event, committed, settings, capsys
):
    settings.EMAIL_BACKEND = project_default_backend()
    settings.DEBUG = False

    ticket, message = send_confirmation(event, committed)

    printed = capsys.readouterr().out
    assert "e-mail to a…@…net" in printed
    assert "Amina" in message.body and ticket.secret in message.body  # they were in the message
    for secret in (EMAIL, "amina.private", "Amina", ticket.secret, ticket.short_code):
        assert secret not in printed


def test_in_debug_the_default_backend_prints_the_whole_message(event, committed, settings, capsys):
    settings.EMAIL_BACKEND = project_default_backend()
    settings.DEBUG = True

    ticket, _message = send_confirmation(event, committed)

    printed = capsys.readouterr().out
    assert EMAIL in printed and "Amina" in printed
