"""A participant card typed at a real scanner (headless Chromium): a person with no ticket for
the event is admitted as a known participant, online and offline, registered once, and counted
once among the programme's people although they came to another event of it before."""

import datetime

import pytest

from attendance.models import Attendance
from events.codes import format_short_code
from events.models import Registration
from participants.models import ParticipantLink
from participants.services.cards import card_issue
from tests.attendance import test_sync_browser as sync_browser
from tests.attendance.conftest import all_day_session
from tests.attendance.people import people_admitted
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    ParticipantFactory,
    SessionFactory,
    TicketFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = sync_browser.WAIT


@pytest.fixture
def known_person(db):
    """Today's door (three tickets, none the person's) and a card holder who attended an earlier
    event of the same programme."""
    session = all_day_session()
    event = session.event
    for name in ("Awa", "Salma", "Karim"):
        TicketFactory(attendee__registration__event=event, attendee__first_name=name)
    a_week_ago = session.date - datetime.timedelta(days=7)
    earlier = EventFactory(
        programme=event.programme,
        organizer=event.organizer,
        start_date=a_week_ago,
        end_date=a_week_ago,
    )
    earlier_session = SessionFactory(event=earlier, date=earlier.start_date)
    earlier_ticket = TicketFactory(attendee__registration__event=earlier)
    AttendanceFactory(ticket=earlier_ticket, session=earlier_session, event=earlier)
    person = ParticipantFactory(organization=event.organizer, gender="female", age_band="25-59")
    ParticipantLink.objects.filter(attendee=earlier_ticket.attendee).delete()
    ParticipantLink.objects.create(attendee=earlier_ticket.attendee, participant=person)
    card = card_issue(participant=person, actor=None)
    return session, card


def assert_admitted_once(session, card):
    registrations = Registration.objects.filter(event=session.event)
    door_registration = registrations.get(source=Registration.Source.DOOR)
    assert door_registration.members.get().participant_link.participant_id == (card.participant_id)
    assert Attendance.objects.filter(session=session).count() == 1
    assert Attendance.objects.filter(event__programme=session.event.programme).count() == 2
    assert people_admitted(event__programme=session.event.programme) == 1


def test_a_card_code_admits_a_known_participant_online(live_server, browser, known_person):
    from playwright.sync_api import expect

    session, card = known_person
    context, page = sync_browser.open_session_scanner(browser, live_server.url, session, "Porte A")

    sync_browser.type_code(page, format_short_code(card.short_code))

    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    expect(page.locator("#feedback")).to_contain_text("Participant connu")
    context.close()
    assert_admitted_once(session, card)


def test_a_card_code_admits_a_known_participant_offline_and_syncs_once(
    live_server, browser, known_person
):
    from playwright.sync_api import expect

    session, card = known_person
    context, page = sync_browser.open_session_scanner(browser, live_server.url, session, "Porte A")

    sync_browser.go_offline(context, page)
    sync_browser.type_code(page, card.short_code.lower())
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    expect(page.locator("#feedback")).to_contain_text("Participant connu")
    sync_browser.type_code(page, card.short_code)  # again, still offline
    expect(page.locator("#feedback")).to_have_class("feedback warn", timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("1", timeout=WAIT)
    assert not Attendance.objects.filter(session=session).exists()

    sync_browser.come_back_and_sync(context, page)
    context.close()
    assert_admitted_once(session, card)
