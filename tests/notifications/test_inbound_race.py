"""The same inbound message delivered several times at the same instant (a provider retrying its
webhook) is stored once and acted on once: one confirmation, one answer. Real threads on
PostgreSQL, the unique constraint on (channel, provider id) deciding."""

import pytest
from django.utils import timezone

from events.models import Registration, Ticket
from notifications.models import InboundMessage, Message, Purpose
from notifications.services import inbound_receive
from tests.concurrency import run_at_once
from tests.factories import AttendeeFactory, EventFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_provider_id_sent_eight_times_at_once_is_acted_on_once():
    event = EventFactory(capacity=1)
    SessionFactory(event=event)
    leaving = TicketFactory(attendee=AttendeeFactory(registration__event=event))
    waiting = TicketFactory(
        attendee=AttendeeFactory(registration__event=event), status=Ticket.Status.WAITLISTED
    )
    phone = leaving.attendee.registration.phone
    results = run_at_once(
        lambda: inbound_receive(
            channel="sms",
            phone=phone,
            text="NON",
            provider_id="dup-1",
            received_at=timezone.now(),
        ),
        times=8,
    )
    assert sorted(result.created for result in results) == [False] * 7 + [True]
    assert InboundMessage.objects.count() == 1
    assert Registration.objects.get(pk=leaving.attendee.registration_id).answer == "declined"
    waiting.refresh_from_db()
    assert waiting.status == Ticket.Status.VALID
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1
    # The promoted person is offered the place by one confirmation per channel, not eight.
    offers = Message.objects.filter(
        registration=waiting.attendee.registration, purpose=Purpose.CONFIRMATION
    )
    assert offers.count() == 1


def test_different_ids_from_one_person_at_once_cancel_once():
    event = EventFactory(capacity=1)
    SessionFactory(event=event)
    leaving = TicketFactory(attendee=AttendeeFactory(registration__event=event))
    phone = leaving.attendee.registration.phone
    ids = iter(range(100))
    results = run_at_once(
        lambda: inbound_receive(
            channel="sms", phone=phone, text="2", provider_id=f"id-{next(ids)}"
        ),
        times=6,
    )
    assert sorted(result.outcome for result in results) == ["already_cancelled"] * 5 + ["cancelled"]
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1


def test_two_organizers_answering_at_once_send_one_answer():
    from core.errors import ApplicationError
    from notifications.services import inbox_reply
    from tests.concurrency import run_together
    from tests.factories import UserFactory

    event = EventFactory()
    SessionFactory(event=event)
    ticket = TicketFactory(attendee=AttendeeFactory(registration__event=event))
    result = inbound_receive(
        channel="sms",
        phone=ticket.attendee.registration.phone,
        text="Une question",
        provider_id="q-1",
    )
    users = [UserFactory() for _ in range(4)]
    results, errors = run_together(
        [
            lambda user=user: inbox_reply(inbound=result.inbound, text="Réponse", user=user)
            for user in users
        ]
    )
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(error, ApplicationError) for error in errors)
    assert {error.code for error in errors} == {"already_answered"}
    assert Message.objects.filter(purpose=Purpose.REPLY).count() == 1
