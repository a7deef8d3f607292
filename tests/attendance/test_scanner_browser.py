"""The volunteers' scanner in a real headless Chromium whose fake camera films a ticket's QR code:
the page must decode it, call the API, show green feedback, and the database must hold the
admission."""

from pathlib import Path

import pytest

from attendance.models import Attendance
from attendance.services.tokens import door_token_create
from bench.fake_camera import qr_frame, y4m_write
from tests.attendance.conftest import all_day_session
from tests.factories import TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write_y4m(path: Path, text: str, frames: int = 10) -> None:
    """A short clip of a QR code on white: what Chromium's fake camera will play."""
    y4m_write(path, [qr_frame(text).luma] * frames, fps=10)


def test_camera_scan_admits_and_shows_green(live_server, tmp_path, vendored_decoder, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    session = all_day_session()
    event = session.event
    ticket = TicketFactory(attendee__registration__event=event, attendee__first_name="Mariam")
    issued = door_token_create(label="Door test", events=[event], created_by=None)
    video = tmp_path / "ticket.y4m"
    write_y4m(video, ticket.secret)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
            context.grant_permissions(["camera"], origin=live_server.url)
            page = context.new_page()
            page.goto(f"{live_server.url}/scan/#token={issued.raw_token}")
            expect(page.locator("#setup")).to_be_visible(timeout=15000)
            assert "token=" not in page.url  # the token does not stay in the address bar
            page.locator("#gate-input").fill("Porte 1")
            page.locator("#start").click()

            feedback = page.locator("#feedback")
            expect(feedback).to_have_class("feedback ok", timeout=30000)
            expect(feedback).to_contain_text("Mariam")
            expect(page.locator("#count-female")).to_have_text("1", timeout=15000)
        finally:
            browser.close()

    attendance = Attendance.objects.get(ticket=ticket, session=session)
    assert attendance.gate == "Porte 1"
    assert attendance.recorded_by_label == "Door test"


def test_typed_short_code_admits(live_server, vendored_decoder, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    event = all_day_session().event
    ticket = TicketFactory(attendee__registration__event=event, attendee__first_name="Yasmine")
    issued = door_token_create(label="Keyboard", events=[event], created_by=None)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-background-networking"]
        )
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"{live_server.url}/scan/#token={issued.raw_token}")
            page.locator("#start").click()
            code_input = page.locator("#code-input")
            expect(code_input).to_be_focused()
            page.keyboard.type(ticket.short_code.lower())
            page.keyboard.press("Enter")
            expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=15000)
            page.keyboard.type(ticket.short_code)
            page.keyboard.press("Enter")
            expect(page.locator("#feedback")).to_have_class("feedback warn", timeout=15000)
        finally:
            browser.close()

    assert Attendance.objects.filter(ticket=ticket).count() == 1
