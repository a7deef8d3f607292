"""The admin's event page on a laptop screen: with a dozen sessions nothing sticks out sideways
(the sessions inline used to be a table some 2,000 px wide). Real headless Chromium."""

import datetime

import pytest

from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP_SCREEN = {"width": 1280, "height": 800}


def test_event_page_fits_a_laptop_screen(live_server, browser):
    admin = UserFactory(is_superuser=True)
    event = EventFactory()
    for hour in range(8, 20):
        SessionFactory(
            event=event,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 45),
            school_name="École Ibn Sina",
            class_level="1re année collège",
        )
    page = browser.new_context(viewport=LAPTOP_SCREEN).new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/events/event/{event.pk}/change/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", "pass-word-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#sessions-group")
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP_SCREEN["width"]
    assert page.locator("#sessions-group .inline-related:not(.empty-form)").count() == 13
