"""The live door panel on a 360 px phone in real headless Chromium, in each language: it fills
itself from its JSON, fits the screen, and refreshes itself when someone is admitted."""

import uuid

import pytest

from attendance.services.door_devices import door_device_report
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_create
from core.models import Membership
from tests.attendance import test_sync_browser as sync_browser
from tests.attendance.conftest import all_day_session
from tests.factories import MembershipFactory, TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WAIT = sync_browser.WAIT


@pytest.mark.parametrize(
    ("language", "direction", "heading", "queue"),
    [
        ("fr", "ltr", "Tableau de l'entrée en direct", "pas encore entrées"),
        ("ar", "rtl", "لوحة المدخل المباشرة", "لم يدخل"),
        ("en", "ltr", "Live door panel", "not in yet"),
    ],
)
def test_the_panel_fills_fits_and_refreshes_itself(
    live_server, browser, client, language, direction, heading, queue
):
    from playwright.sync_api import expect

    organizer = MembershipFactory().user
    organization = Membership.objects.get(user=organizer).organization
    session = all_day_session(programme__lead_organization=organization)
    event = session.event
    tickets = [TicketFactory(attendee__registration__event=event) for _ in range(4)]
    token = door_token_create(label="Porte nord", events=[event], created_by=None).door_token
    checkin_scan(token=token, text=tickets[0].secret, session=session, gate="N", nonce=uuid.uuid4())
    door_device_report(token=token, device_id="phone-1", session_id=session.pk, unsynced=3)
    client.force_login(organizer)

    context = browser.new_context(locale=language, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/door/events/{event.pk}/panel/")

    assert page.get_attribute("html", "dir") == direction
    expect(page.locator("h1")).to_have_text(heading)
    sessions = page.locator("#panel-sessions")
    expect(sessions).to_contain_text(queue, timeout=WAIT)
    expect(sessions).to_contain_text("1 / 4")
    expect(page.locator("#panel-stale")).to_be_hidden()  # the server answered
    expect(page.locator("#panel-gates")).to_contain_text("N")
    expect(page.locator("#panel-devices")).to_contain_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    checkin_scan(token=token, text=tickets[1].secret, session=session, gate="N", nonce=uuid.uuid4())
    expect(sessions).to_contain_text("2 / 4", timeout=WAIT)
    context.close()
