"""A message falls back at most once, proven with real threads on PostgreSQL: the receipts
webhook's signal, its replays and the sweep asking for the same message at the same moment
make one fallback, and the database refuses a second even if the service were bypassed."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from events.models import Registration
from notifications import services
from notifications.models import Message
from tests.concurrency import run_together

from .conftest import ticket_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALLERS = 8


@pytest.fixture
def undelivered_sms(event, frozen_now, committed, whatsapp_templates):
    ticket = ticket_for(event, email="awa@example.org", preferred_channel=Registration.Channel.SMS)
    committed(
        services.registration_confirmation_send, registration_id=ticket.attendee.registration_id
    )
    message = Message.objects.get(channel="sms", status="sent")
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)
    mail.outbox = []
    return message


def test_simultaneous_fallback_requests_make_one_fallback(undelivered_sms):
    def ask(reason):
        fallback = services.message_fall_back(message_id=undelivered_sms.pk, reason=reason)
        return fallback.pk if fallback else None

    jobs = [lambda i=i: ask("webhook" if i % 2 else "sweep") for i in range(CALLERS)]
    answers, errors = run_together(jobs)

    assert errors == []
    [fallback] = Message.objects.filter(fallback_of=undelivered_sms)
    assert answers == [fallback.pk] * CALLERS
    assert fallback.channel == "email"
    assert Message.objects.filter(channel="email").count() == 1
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_fallback_of_one_message(undelivered_sms):
    services.message_fall_back(message_id=undelivered_sms.pk, reason="expired")
    with pytest.raises(IntegrityError), transaction.atomic():
        services.message_schedule(
            idempotency_key="written-around-the-service",
            channel="email",
            recipient="awa@example.org",
            language="fr",
            purpose="confirmation",
            subject="",
            body="x",
            scheduled_at=undelivered_sms.scheduled_at,
            fallback_of=undelivered_sms,
        )
