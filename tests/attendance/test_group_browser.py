"""The scanner's group panel in a real headless Chromium at 360 px: a household's ticket typed at
the door lists its members, and one tap admits everyone or the ones ticked, online and offline
(each member synced once)."""

import pytest

from attendance.models import Attendance
from tests.attendance import test_sync_browser as sync_browser
from tests.attendance.conftest import all_day_session
from tests.attendance.test_group_admission import household_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = sync_browser.WAIT


@pytest.fixture
def door(db):
    session = all_day_session()
    return session, household_of(session.event)


def open_narrow_scanner(browser, url, session, label):
    context, page = sync_browser.open_session_scanner(browser, url, session, label)
    page.set_viewport_size({"width": 360, "height": 740})
    return context, page


def admitted(session) -> list[str]:
    rows = Attendance.objects.filter(session=session, voided_at=None)
    return sorted(rows.values_list("ticket__attendee__first_name", flat=True))


def test_online_the_ones_ticked_are_admitted_in_one_tap(live_server, browser, door):
    from playwright.sync_api import expect

    session, (aminata, youssef, awa) = door
    context, page = open_narrow_scanner(browser, live_server.url, session, "Porte A")

    sync_browser.type_code(page, aminata.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    panel = page.locator("#group-panel")
    expect(panel).to_be_visible(timeout=WAIT)
    expect(panel.locator("li")).to_have_count(3)
    expect(panel.locator("li").nth(0)).to_contain_text("Aminata")
    expect(panel.locator("li input").nth(0)).not_to_be_checked()  # already in: her own scan
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    panel.locator("li", has_text="Awa").locator("input").uncheck()
    page.locator("#group-admit-chosen").click()

    expect(panel).to_be_hidden(timeout=WAIT)
    expect(page.locator("#feedback")).to_have_class("feedback ok")
    expect(page.locator("#feedback")).to_contain_text("Youssef")
    expect(page.locator("#count-total")).to_have_text("2", timeout=WAIT)
    context.close()
    assert admitted(session) == ["Aminata", "Youssef"]
    assert not Attendance.objects.filter(ticket=awa).exists()


def test_offline_the_ones_ticked_are_admitted_and_synced_once(live_server, browser, door):
    from playwright.sync_api import expect

    session, (aminata, youssef, awa) = door
    context, page = open_narrow_scanner(browser, live_server.url, session, "Porte B")

    sync_browser.go_offline(context, page)
    sync_browser.type_code(page, youssef.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    panel = page.locator("#group-panel")
    expect(panel.locator("li")).to_have_count(3, timeout=WAIT)
    panel.locator("li", has_text="Awa").locator("input").uncheck()
    page.locator("#group-admit-chosen").click()
    expect(page.locator("#feedback")).to_contain_text("Aminata", timeout=WAIT)
    expect(page.locator("#feedback")).to_have_class("feedback ok")
    # Youssef's own scan, then Aminata admitted with him (his own box was not ticked: inside).
    expect(page.locator("#pending-count")).to_have_text("2", timeout=WAIT)
    sync_browser.type_code(page, aminata.short_code)  # admitted with the group, on this phone
    expect(page.locator("#feedback")).to_have_class("feedback warn", timeout=WAIT)
    sync_browser.type_code(page, awa.short_code)  # not ticked: still to admit
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    expect(page.locator("#pending-count")).to_have_text("4", timeout=WAIT)
    assert not Attendance.objects.exists()

    sync_browser.come_back_and_sync(context, page)
    context.close()
    assert admitted(session) == ["Aminata", "Awa", "Youssef"]
    assert set(Attendance.objects.values_list("source", flat=True)) == {Attendance.Source.OFFLINE}
