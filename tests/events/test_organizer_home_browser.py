"""The organizer home on a 360 px phone, in each language: nothing sticks out sideways and the
links of the day are there. Real headless Chromium against the live server."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventKind
from tests.events.test_registration_browser import PHONE_SCREEN
from tests.factories import EventFactory, MembershipFactory, ProgrammeFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_organizer_home_fits_a_phone_in_each_language(live_server, browser, language, direction):
    membership = MembershipFactory()
    today = timezone.localdate()
    programme = ProgrammeFactory(lead_organization=membership.organization)
    fair = EventFactory(
        programme=programme,
        title="Foire africaine d'Oujda avec un titre assez long pour passer à la ligne",
        start_date=today,
        end_date=today,
    )
    SessionFactory(event=fair)
    SessionFactory(event=fair, start_time=datetime.time(15), end_time=datetime.time(18))
    forum_day = today + datetime.timedelta(days=5)
    EventFactory(
        programme=programme, kind=EventKind.FORUM, start_date=forum_day, end_date=forum_day
    )
    page = browser.new_context(locale=language, viewport=PHONE_SCREEN).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", membership.user.username)
    page.fill("#id_password", "pass-word-123")
    page.click("form:not(.language-switch) button[type=submit]")
    page.wait_for_url("**/organizer/")
    assert page.get_attribute("html", "dir") == direction
    assert page.locator("article.organizer-event").count() == 2
    assert page.locator(f'article[data-event="{fair.pk}"] a[href^="/door/sessions/"]').count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
