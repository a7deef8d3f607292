"""A person registers on a phone-sized screen in each language, then opens a ticket whose QR
image actually loads. Real headless Chromium against the live server."""

import pytest

from events.models import Registration, Ticket
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 360, "height": 740}


@pytest.mark.parametrize(
    ("language", "direction", "submit"),
    [
        ("fr", "ltr", "recevoir mon billet"),
        ("ar", "rtl", "التسجيل والحصول"),
        ("en", "ltr", "Register and"),
    ],
)
def test_registering_a_family_on_a_phone_in_each_language(
    live_server, browser, language, direction, submit
):
    event = EventFactory(title="Rencontre", title_ar="لقاء", title_en="Meeting")
    SessionFactory(event=event)
    page = browser.new_context(locale=language, viewport=PHONE_SCREEN).new_page()
    page.goto(f"{live_server.url}/events/{event.pk}/register/")
    assert page.get_attribute("html", "dir") == direction
    # Nothing sticks out sideways on a small screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    page.select_option("#id_contact-gender", "female")
    page.select_option("#id_contact-age_band", "25-59")
    page.check("input[name=contact-kind][value=household]")
    page.click("button[name=add_member]")
    page.select_option("#id_members-0-gender", "male")
    page.select_option("#id_members-0-age_band", "5-11")
    page.fill("#id_contact-phone", "06 12 34 56 78")
    page.check("#id_contact-consent_register")
    page.click(f"button[name=register]:has-text('{submit}')")
    page.wait_for_url("**/registrations/**")
    registration = Registration.objects.get()
    assert registration.language == language
    assert Ticket.objects.filter(attendee__registration=registration).count() == 2
    page.click(".ticket-list a.button >> nth=0")
    page.wait_for_url("**/tickets/**")
    assert page.get_attribute("html", "dir") == direction
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
