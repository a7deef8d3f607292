"""Capacity under real concurrency: many threads, each with its own PostgreSQL connection,
register at the same moment for an event with few places left."""

import functools

import pytest

from events.models import Registration, Ticket
from events.services.registrations import PersonData, registration_create
from events.services.tickets import ticket_cancel
from tests.concurrency import run_together
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 12


def register(event, members=0, sessions=()):
    person = PersonData(gender="female", age_band="25-59")
    return registration_create(
        event=event,
        contact=person,
        members=[person] * members,
        consent_register=True,
        consent_contact=False,
        source=Registration.Source.API,
        sessions=sessions,
    )


def test_concurrent_registrations_never_overbook_the_event():
    event = EventFactory(capacity=5)
    _, errors = run_together([lambda: register(event)] * THREADS)
    assert errors == []
    tickets = Ticket.objects.filter(event=event)
    assert tickets.count() == THREADS
    assert tickets.filter(status=Ticket.Status.VALID).count() == 5
    assert tickets.filter(status=Ticket.Status.WAITLISTED).count() == THREADS - 5


def test_concurrent_group_registrations_never_overbook_a_session():
    event = EventFactory(capacity=None)
    session = SessionFactory(event=event, capacity=7)
    _, errors = run_together([lambda: register(event, members=2, sessions=[session])] * THREADS)
    assert errors == []
    valid = Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
    assert valid.count() == 6  # two whole families of three; a third would not fit
    waiting = Ticket.objects.filter(event=event, status=Ticket.Status.WAITLISTED)
    assert waiting.count() == THREADS * 3 - 6


def test_concurrent_cancellations_and_registrations_keep_within_capacity():
    event = EventFactory(capacity=4)
    holders = [register(event) for _ in range(4)]
    waiting = [register(event) for _ in range(4)]
    holder_tickets = [Ticket.objects.get(attendee__registration=r) for r in holders]

    def worker(index):
        if index % 2:
            ticket_cancel(ticket=holder_tickets[index // 2])
        else:
            register(event)

    _, errors = run_together([functools.partial(worker, index) for index in range(8)])
    assert errors == []
    valid = Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
    assert valid.count() == 4
    # The places freed went to people who were already waiting, first come first served.
    assert set(valid.values_list("attendee__registration", flat=True)) == {r.pk for r in waiting}
