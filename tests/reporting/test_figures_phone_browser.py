"""The gender × age tables of the figures dashboards on a 360 px phone, in real headless
Chromium, in each language: no bar is drawn over a figure or a label, and no column header is
broken in the middle of a word (each word of a header is measured: one box, one line)."""

import pytest
from django.urls import reverse

from core.demographics import AgeBand, Gender
from tests.browser_login import signed_in_context
from tests.events.test_registration_browser import PHONE_SCREEN
from tests.factories import AttendanceFactory, EventFactory, MembershipFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pairs (bar, figure or label) of one table whose boxes intersect, and header words drawn on
# more than one line. Boxes touching at an edge do not count.
MEASURE = """(table) => {
  const overlaps = [];
  const rects = (selector) => [...table.querySelectorAll(selector)]
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const bars = rects(".pyramid__bar");
  const texts = rects("td b, th");
  for (const [bar, b] of bars) {
    for (const [text, t] of texts) {
      const x = Math.min(b.right, t.right) - Math.max(b.left, t.left);
      const y = Math.min(b.bottom, t.bottom) - Math.max(b.top, t.top);
      if (x > 0.5 && y > 0.5) overlaps.push(bar.closest("td").dataset.cell + " / " + text.textContent.trim());
    }
  }
  const broken = [];
  for (const header of table.querySelectorAll("th")) {
    const node = header.firstChild;
    if (!node || node.nodeType !== Node.TEXT_NODE) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return {overlaps, broken};
}"""


@pytest.fixture
def programme_figures():
    event = EventFactory()
    session = SessionFactory(event=event)
    for gender in Gender:
        for band, headcount in (
            (AgeBand.AGE_12_17, 40),
            (AgeBand.AGE_25_59, 3),
            (AgeBand.AGE_5_11, 1),
        ):
            AttendanceFactory(
                session=session,
                source="class_tally",
                gender=gender,
                age_band=band,
                headcount=headcount,
            )
    return event


def _logged_in_page(browser, live_server, user, language):
    return signed_in_context(
        browser, live_server, user, locale=language, viewport=PHONE_SCREEN
    ).new_page()


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_gender_by_age_tables_are_readable_on_a_phone(
    live_server,
    browser,
    programme_figures,
    language,
):
    event = programme_figures
    user = MembershipFactory(organization=event.organizer).user
    page = _logged_in_page(browser, live_server, user, language)
    urls = [
        reverse("reporting:programme_dashboard", args=[event.programme_id]),
        reverse("reporting:event_dashboard", args=[event.pk]),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        tables = page.query_selector_all("table.pyramid")
        assert tables, url
        for table in tables:
            found = table.evaluate(MEASURE)
            assert found == {"overlaps": [], "broken": []}, (url, language, found)
        # The page itself does not scroll sideways; a wide table scrolls inside its frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
