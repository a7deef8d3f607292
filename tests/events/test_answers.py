"""What a contact answers (yes / no) on the registration: confirming needs a place, declining
cancels the whole registration once and moves the waiting list; the figures for the next session
on the organizer's home, in a constant number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from events.models import Registration, Ticket
from events.selectors.agenda import organizer_agenda
from events.services.answers import (
    AnswerOutcome,
    registration_confirm_attendance,
    registration_decline,
)
from tests.factories import (
    TODAY,
    AttendeeFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    SessionFactory,
    TicketFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def day_before():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0), tick=False):
        yield


def household(event, *, size, status=Ticket.Status.VALID, answer=""):
    registration = RegistrationFactory(event=event, answer=answer)
    return [
        TicketFactory(attendee=AttendeeFactory(registration=registration), status=status)
        for _member in range(size)
    ]


def test_confirming_needs_a_place_and_is_recorded_once():
    event = EventFactory(capacity=2)
    SessionFactory(event=event)
    (valid,) = household(event, size=1)
    (waiting,) = household(event, size=1, status=Ticket.Status.WAITLISTED)
    registration = valid.attendee.registration
    assert registration_confirm_attendance(registration=registration) == AnswerOutcome.CONFIRMED
    assert (
        registration_confirm_attendance(registration=registration)
        == AnswerOutcome.ALREADY_CONFIRMED
    )
    registration.refresh_from_db()
    assert registration.answer == Registration.Answer.CONFIRMED
    waiting_registration = waiting.attendee.registration
    assert (
        registration_confirm_attendance(registration=waiting_registration) == AnswerOutcome.NO_PLACE
    )
    waiting_registration.refresh_from_db()
    assert waiting_registration.answer == ""


def test_declining_cancels_the_household_and_promotes_a_group_that_now_fits():
    event = EventFactory(capacity=3)
    SessionFactory(event=event)
    family = household(event, size=2)
    household(event, size=1)
    waiting_pair = household(event, size=2, status=Ticket.Status.WAITLISTED)
    registration = family[0].attendee.registration
    assert registration_decline(registration=registration) == AnswerOutcome.CANCELLED
    assert {t.status for t in Ticket.objects.filter(pk__in=[t.pk for t in family])} == {
        Ticket.Status.CANCELLED
    }
    assert {t.status for t in Ticket.objects.filter(pk__in=[t.pk for t in waiting_pair])} == {
        Ticket.Status.VALID
    }
    assert registration_decline(registration=registration) == AnswerOutcome.ALREADY_CANCELLED


def test_the_organizer_home_says_who_confirmed_for_tomorrow_in_constant_queries(client):
    organizer = MembershipFactory().user
    ngo = organizer.memberships.get().organization
    event = EventFactory(programme__lead_organization=ngo, organizer=ngo)
    SessionFactory(event=event)
    household(event, size=3, answer="confirmed")
    household(event, size=2)
    household(event, size=1, status=Ticket.Status.CANCELLED, answer="declined")
    client.force_login(organizer)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/organizer/").content.decode()
    assert "Confirmés pour demain : 3 sur 5 personnes." in html
    assert "Annulé par réponse : 1 personne." in html
    for offset in range(1, 6):
        other = EventFactory(
            programme=event.programme,
            organizer=ngo,
            start_date=TODAY + datetime.timedelta(days=offset),
            end_date=TODAY + datetime.timedelta(days=offset),
        )
        SessionFactory.create_batch(2, event=other)
        household(other, size=2, answer="confirmed")
    with CaptureQueriesContext(connection) as many:
        client.get("/organizer/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_agenda_figures_count_tickets_restricted_to_the_next_session_only():
    event = EventFactory(end_date=TODAY + datetime.timedelta(days=1))
    first = SessionFactory(event=event)
    second = SessionFactory(event=event, date=TODAY + datetime.timedelta(days=1))
    (for_first,) = household(event, size=1, answer="confirmed")
    for_first.sessions.set([first])
    (for_second,) = household(event, size=1, answer="confirmed")
    for_second.sessions.set([second])
    household(event, size=1)
    user = MembershipFactory(organization=event.organizer).user
    (entry,) = organizer_agenda(user=user, today=TODAY - datetime.timedelta(days=1))
    assert (entry.answers.session, entry.answers.expected, entry.answers.confirmed) == (
        first,
        2,
        1,
    )
    with translation.override("ar"):
        from events.answers_text import answer_lines

        (line,) = answer_lines(entry.answers, today=TODAY - datetime.timedelta(days=1))
    assert "للغد" in line and "شخصين" in line
