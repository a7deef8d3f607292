"""A participant card at the door: the holder's ticket is admitted as a ticket scan would; without
one, a known walk-in is registered and admitted, counted as the participant they are."""

import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.services.scans import checkin_scan
from events.codes import format_short_code
from events.models import Registration, Ticket
from participants.models import Participant, ParticipantLink
from participants.services.cards import card_issue, card_reissue, card_revoke
from tests.attendance.people import people_admitted
from tests.factories import DoorSettingsFactory, ParticipantFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


def scan(token, session, text):
    return checkin_scan(token=token, text=text, session=session, nonce=uuid.uuid4())


@pytest.fixture
def participant(session):
    return ParticipantFactory(organization=session.event.organizer, gender="male", age_band="18-24")


@pytest.fixture
def card(participant):
    return card_issue(participant=participant, actor=None)


def test_a_card_admits_the_ticket_its_holder_has_for_the_event(token, session, participant, card):
    ticket = TicketFactory(attendee__registration__event=session.event)
    ParticipantLink.objects.create(attendee=ticket.attendee, participant=participant)

    answer = scan(token, session, card.secret)

    assert answer["status"] == ScanStatus.ADMITTED
    attendance = Attendance.objects.get(session=session)
    assert attendance.ticket_id == ticket.pk
    assert Registration.objects.filter(event=session.event).count() == 1
    again = scan(token, session, format_short_code(card.short_code))
    assert again["status"] == ScanStatus.ALREADY_ADMITTED
    assert Attendance.objects.filter(session=session).count() == 1
    # The log keeps no usable card secret.
    assert all(card.secret not in row.text for row in ScanAttempt.objects.all())


def test_a_card_admits_the_ticket_held_by_someone_merged_into_its_participant(
    token, session, participant, card
):
    merged = ParticipantFactory(organization=participant.organization, merged_into=participant)
    ticket = TicketFactory(attendee__registration__event=session.event)
    ParticipantLink.objects.create(attendee=ticket.attendee, participant=merged)

    assert scan(token, session, card.secret)["status"] == ScanStatus.ADMITTED
    assert Attendance.objects.get(session=session).ticket_id == ticket.pk


def test_a_card_without_a_ticket_registers_and_admits_a_known_walk_in(
    token, session, participant, card
):
    answer = scan(token, session, card.short_code.lower())

    assert answer["status"] == ScanStatus.ADMITTED
    assert answer["known_walk_in"] is True
    assert answer["message"] == "Participant connu, admis sans inscription."
    registration = Registration.objects.get(event=session.event)
    assert registration.source == Registration.Source.DOOR
    assert (registration.phone, registration.email, registration.contact_name) == ("", "", "")
    attendee = registration.members.get()
    assert (attendee.gender, attendee.age_band) == ("male", "18-24")
    assert attendee.participant_link.participant_id == participant.pk
    # No orphan participant was made for the nameless attendee.
    assert Participant.objects.count() == 1
    attendance = Attendance.objects.get(session=session)
    assert attendance.ticket.attendee_id == attendee.pk
    assert attendance.source == Attendance.Source.SHORT_CODE
    assert people_admitted(event=session.event) == 1

    # The same card at another session of the event: the ticket made at the door, not a new one.
    other = SessionFactory(event=session.event)
    assert scan(token, other, card.secret)["status"] == ScanStatus.ADMITTED
    assert Registration.objects.count() == 1
    assert people_admitted(event=session.event) == 1
    assert scan(token, session, card.secret)["status"] == ScanStatus.ALREADY_ADMITTED


def test_a_known_walk_in_is_refused_where_the_event_admits_none(token, session, card):
    DoorSettingsFactory(event=session.event, known_walk_ins=False)
    answer = scan(token, session, card.secret)
    assert answer["status"] == ScanStatus.UNKNOWN_TICKET
    assert not Registration.objects.exists() and not Attendance.objects.exists()


def test_a_full_event_registers_no_known_walk_in(token, session, card):
    session.event.capacity = 1
    session.event.save()
    TicketFactory(attendee__registration__event=session.event)
    answer = scan(token, session, card.secret)
    assert answer["status"] == ScanStatus.CANCELLED
    assert Registration.objects.count() == 1  # the other person's only
    assert not Attendance.objects.exists()


def test_a_revoked_card_is_refused(token, session, card):
    card_revoke(card=card, actor=None)
    assert scan(token, session, card.secret)["status"] == ScanStatus.UNKNOWN_TICKET
    assert not Registration.objects.exists()


def test_a_lost_card_opens_nothing_after_a_reissue(token, session, participant, card):
    new = card_reissue(participant=participant, actor=None)
    assert scan(token, session, card.secret)["status"] == ScanStatus.UNKNOWN_TICKET
    assert scan(token, session, card.short_code)["status"] == ScanStatus.UNKNOWN_TICKET
    assert scan(token, session, new.secret)["status"] == ScanStatus.ADMITTED


def test_a_card_of_another_organisation_is_unknown(token, session):
    stranger = card_issue(participant=ParticipantFactory(), actor=None)
    answer = scan(token, session, stranger.secret)
    assert answer["status"] == ScanStatus.UNKNOWN_TICKET
    assert not Registration.objects.exists()


def test_a_ticket_code_is_still_looked_up_first(token, session, participant, card):
    ticket = TicketFactory(attendee__registration__event=session.event)
    assert scan(token, session, ticket.short_code)["status"] == ScanStatus.ADMITTED
    assert Ticket.objects.count() == 1 and Attendance.objects.get().ticket_id == ticket.pk


def test_a_known_walk_in_who_came_before_counts_once_in_the_programme_figures(
    token, session, participant, card
):
    from reporting.selectors import figures_for_programme
    from tests.factories import AttendanceFactory, EventFactory, ParticipantLinkFactory

    # The holder came to an earlier event of the programme with a ticket of their own.
    earlier = SessionFactory(
        event=EventFactory(programme=session.event.programme, organizer=session.event.organizer)
    )
    ticket = TicketFactory(attendee__registration__event=earlier.event)
    ParticipantLinkFactory(attendee=ticket.attendee, participant=participant)
    AttendanceFactory(session=earlier, ticket=ticket, source="scan")
    # An anonymous walk-in too, counted apart as a visit.
    AttendanceFactory(session=session)

    assert scan(token, session, card.secret)["known_walk_in"] is True

    totals = figures_for_programme(programme=session.event.programme).totals
    assert totals.attendances == 3
    assert totals.registered_people == 1
    assert totals.people_reached == 2  # one known person (twice) and one anonymous visit
