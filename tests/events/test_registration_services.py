import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from events import signals
from events.models import EventStatus, Registration, Ticket
from events.services.registrations import (
    CONSENT_WORDING_VERSION,
    PersonData,
    registration_create,
)
from tests.events.conftest import SignalCatcher
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

ADULT = PersonData(first_name="Aminata", gender="female", age_band="25-59", profile="migrant")
CHILD = PersonData(first_name="Awa", gender="female", age_band="5-11", profile="migrant")
TEEN = PersonData(gender="male", age_band="12-17")


def register(event, contact=ADULT, members=(), **overrides):
    arguments = {
        "event": event,
        "contact": contact,
        "members": members,
        "consent_register": True,
        "consent_contact": False,
        "source": Registration.Source.API,
        **overrides,
    }
    return registration_create(**arguments)


def tickets_of(registration):
    return list(Ticket.objects.filter(attendee__registration=registration).order_by("attendee_id"))


def test_household_registration_gives_each_member_a_ticket():
    event = EventFactory()
    registration = register(event, members=[CHILD, TEEN])
    assert registration.kind == Registration.Kind.HOUSEHOLD
    people = list(registration.members.order_by("id"))
    assert [(p.first_name, p.age_band, p.is_contact) for p in people] == [
        ("Aminata", "25-59", True),
        ("Awa", "5-11", False),
        ("", "12-17", False),
    ]
    tickets = tickets_of(registration)
    assert len(tickets) == 3
    assert {t.status for t in tickets} == {Ticket.Status.VALID}
    assert len({t.secret for t in tickets}) == 3


def test_class_registration_keeps_group_kind():
    event = EventFactory()
    registration = register(event, members=[TEEN] * 25, kind=Registration.Kind.GROUP)
    assert registration.kind == Registration.Kind.GROUP
    assert len(tickets_of(registration)) == 26


def test_moroccan_local_phone_is_stored_in_e164_and_consent_is_recorded(frozen_now):
    registration = register(EventFactory(), phone="06 12 34 56 78", consent_contact=True)
    assert registration.phone == "+212612345678"
    assert registration.consent_contact is True
    assert registration.consent_recorded_at == timezone.now()
    assert registration.consent_wording_version == CONSENT_WORDING_VERSION


def test_invalid_phone_and_email_are_field_errors_and_nothing_is_written():
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(), phone="12", email="not-an-address")
    assert set(caught.value.field_errors) == {"phone", "email"}
    assert not Registration.objects.exists()


def test_registration_without_consent_to_register_is_refused():
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(), consent_register=False)
    assert "consent_register" in caught.value.field_errors


def test_nationality_is_refused_unless_the_event_asks_for_it():
    person = PersonData(gender="male", age_band="18-24", nationality="Guinée")
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(ask_nationality=False), contact=person)
    assert "contact.nationality" in caught.value.field_errors
    registration = register(EventFactory(ask_nationality=True), contact=person)
    assert registration.members.get().nationality == "Guinée"


def test_unknown_demographic_values_are_refused():
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(), members=[PersonData(gender="woman", age_band="30-40")])
    assert set(caught.value.field_errors) == {"members.1.gender", "members.1.age_band"}


@pytest.mark.parametrize("status", [EventStatus.CLOSED, EventStatus.CANCELLED])
def test_closed_or_cancelled_event_refuses_every_source(status):
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(status=status))
    assert caught.value.code == "event_not_open"


def test_public_registration_respects_the_window_but_organizers_may_register_late(frozen_now):
    event = EventFactory(registration_closes_at=frozen_now - datetime.timedelta(hours=1))
    with pytest.raises(ApplicationError) as caught:
        register(event, source=Registration.Source.WEB)
    assert caught.value.code == "registration_closed"
    assert register(event, source=Registration.Source.API).pk


def test_public_registration_before_opening_is_refused(frozen_now):
    event = EventFactory(registration_opens_at=frozen_now + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as caught:
        register(event, source=Registration.Source.WEB)
    assert caught.value.code == "registration_not_open_yet"


def test_public_registration_for_a_draft_event_is_refused(frozen_now):
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(status=EventStatus.DRAFT), source=Registration.Source.WEB)
    assert caught.value.code == "event_not_open"


def test_registration_confirmed_is_sent_after_commit_with_the_id_only(
    django_capture_on_commit_callbacks,
):
    with SignalCatcher(signals.registration_confirmed) as caught:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            registration = register(EventFactory())
        assert caught.calls == []  # nothing before the commit
        for callback in callbacks:
            callback()
    assert caught.calls == [{"registration_id": registration.pk}]


def test_group_goes_whole_to_the_waiting_list_when_it_does_not_fit():
    event = EventFactory(capacity=3)
    first = register(event)
    family = register(event, members=[CHILD, TEEN, TEEN])
    assert {t.status for t in tickets_of(first)} == {Ticket.Status.VALID}
    assert {t.status for t in tickets_of(family)} == {Ticket.Status.WAITLISTED}
    # A smaller registration behind the family can still take the two free places.
    couple = register(event, members=[TEEN])
    assert {t.status for t in tickets_of(couple)} == {Ticket.Status.VALID}


def test_full_event_puts_new_registrations_on_the_waiting_list():
    event = EventFactory(capacity=2)
    register(event)
    register(event)
    third = register(event)
    assert tickets_of(third)[0].status == Ticket.Status.WAITLISTED
    assert Ticket.objects.filter(event=event, status=Ticket.Status.VALID).count() == 2


def test_session_capacity_counts_tickets_for_that_session_and_unrestricted_ones():
    event = EventFactory(capacity=None)
    morning = SessionFactory(event=event, capacity=2)
    afternoon = SessionFactory(
        event=event, capacity=5, start_time=datetime.time(14), end_time=datetime.time(16)
    )
    register(event)  # unrestricted: uses a place in both sessions
    register(event, sessions=[morning])
    assert tickets_of(register(event, sessions=[morning]))[0].status == Ticket.Status.WAITLISTED
    restricted = tickets_of(register(event, sessions=[afternoon]))[0]
    assert restricted.status == Ticket.Status.VALID
    assert list(restricted.sessions.all()) == [afternoon]


def test_sessions_of_another_event_are_refused():
    other_session = SessionFactory()
    with pytest.raises(ApplicationError) as caught:
        register(EventFactory(), sessions=[other_session])
    assert "sessions" in caught.value.field_errors


def test_individual_kind_with_members_becomes_a_household():
    registration = register(EventFactory(), members=[CHILD], kind=Registration.Kind.INDIVIDUAL)
    assert registration.kind == Registration.Kind.HOUSEHOLD
