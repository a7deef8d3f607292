import datetime

import pytest
import time_machine
from django.core import mail

from notifications import sms
from tests.factories import AttendeeFactory, EventFactory, SessionFactory, TicketFactory

# A week before the factories' event (1 December 2026, sessions at 10:00 Casablanca time).
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clean_outboxes():
    sms.outbox = []
    mail.outbox = []
    yield
    sms.outbox = []


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def event(db):
    event = EventFactory()
    SessionFactory(event=event)
    return event


def ticket_for(event, **registration_fields):
    attendee = AttendeeFactory(
        registration__event=event,
        **{f"registration__{k}": v for k, v in registration_fields.items()},
    )
    return TicketFactory(attendee=attendee)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call as if its transaction committed: the send tasks queued with on_commit run
    (eagerly) before the call returns, as they would after a real commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def whatsapp_templates(db):
    """The platform's WhatsApp templates as the migration seeds them (a transactional test
    elsewhere may have flushed the seeded rows)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("notifications.migrations.0004_whatsapp_templates")
    migration.seed_whatsapp_templates(apps, None)
