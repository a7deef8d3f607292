"""The scanner as a volunteer lives it on a cheap phone (360×740, French and Arabic), in a real
headless Chromium: the camera does not send the same ticket twice, the session picker starts on
the session open now, the exit switch is hidden when exits are off, every time is on the event's
clock, results beep and buzz unless switched off, the page has its heading and readable
contrast, and walk-ins of other genders count apart in the figures."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from attendance.models import Attendance, DoorSettings
from attendance.services.tokens import door_token_create
from bench.fake_camera import qr_frame, y4m_write
from reporting.selectors import figures_for_event
from tests.attendance.conftest import all_day_session
from tests.factories import EventFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 15000
PHONE = {"width": 360, "height": 740}
EVENT_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def open_door_today(*, exits: bool = False, names=("Awa",)):
    """An event with one session open all day today, tickets for `names`, a door token."""
    event = all_day_session().event
    if exits:
        DoorSettings.objects.create(event=event, exit_scans_enabled=True)
    tickets = [
        TicketFactory(attendee__registration__event=event, attendee__first_name=name)
        for name in names
    ]
    issued = door_token_create(label="Door", events=[event], created_by=None)
    return event, tickets, issued.raw_token


@pytest.fixture
def chromium(chromium_path, vendored_decoder):
    """Launch Chromium with extra arguments (the fake camera's clip); closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browsers = []

        def launch(*arguments):
            browser = playwright.chromium.launch(
                executable_path=chromium_path,
                args=["--no-sandbox", "--disable-background-networking", *arguments],
            )
            browsers.append(browser)
            return browser

        try:
            yield launch
        finally:
            for browser in browsers:
                browser.close()


def phone(browser, live_server, *, language="fr", **options):
    context = browser.new_context(viewport=PHONE, **options)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    return context


def log_in(page, live_server, raw_token):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/scan/#token={raw_token}")
    expect(page.locator("#setup")).to_be_visible(timeout=WAIT)


def start_scanning(page):
    from playwright.sync_api import expect

    page.locator("#start").click()
    expect(page.locator("#scan")).to_be_visible(timeout=WAIT)


def type_code(page, code):
    page.locator("#code-input").fill(code)
    page.locator("#code-input").press("Enter")


# The camera -----------------------------------------------------------------------------------


def test_camera_sends_a_code_in_view_once_and_another_code_at_once(live_server, tmp_path, chromium):
    from playwright.sync_api import expect

    event, (awa, salma), raw_token = open_door_today(names=("Awa", "Salma"))
    # Two tickets held up in turn, half a second each, over and over: each stays "in view".
    first, second = qr_frame(awa.secret).luma, qr_frame(salma.secret).luma
    clip = tmp_path / "two-tickets.y4m"
    y4m_write(clip, [first] * 5 + [second] * 5, fps=10)
    browser = chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    )
    context = phone(browser, live_server)
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    sent = []
    page.on(
        "request",
        lambda request: sent.append(request.post_data_json["text"])
        if request.url.endswith("/checkin/scan")
        else None,
    )
    log_in(page, live_server, raw_token)
    start_scanning(page)

    expect(page.locator("#count-total")).to_have_text("2", timeout=WAIT)
    # Longer than the quiet time (3 s): the tickets are still in view, so still not sent again.
    page.wait_for_timeout(4500)

    assert sorted(sent) == sorted([awa.secret, salma.secret])
    assert Attendance.objects.filter(ticket__event=event).count() == 2
    expect(page.locator("#feedback")).not_to_have_class("feedback warn")


# The session picker -------------------------------------------------------------------------

# Browser clock for the picker: Wednesday 2 December 2026, 10:30 in Oujda.
PICKER_NOW = datetime.datetime(2026, 12, 2, 10, 30, tzinfo=EVENT_ZONE)
PICKER_DAYS = {
    datetime.date(2026, 12, 1): [(9, 11), (11, 13), (14, 16), (17, 19)],
    # Closed at 10:30 (the door closes an hour after the end), open, then later today.
    datetime.date(2026, 12, 2): [(7, 8), (10, 12), (14, 16), (17, 18), (19, 20)],
    datetime.date(2026, 12, 3): [(9, 11), (11, 13), (14, 16), (17, 19)],
}


@pytest.fixture
def thirteen_sessions(db):
    event = EventFactory(
        title="Forum des femmes",
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2026, 12, 3),
    )
    sessions = {
        (day, start): SessionFactory(
            event=event,
            date=day,
            start_time=datetime.time(start, 0),
            end_time=datetime.time(end, 0),
            title=f"Atelier {day.day}-{start}h",
        )
        for day, hours in PICKER_DAYS.items()
        for start, end in hours
    }
    issued = door_token_create(label="Door", events=[event], created_by=None)
    return sessions, issued.raw_token


@pytest.mark.parametrize(
    ("language", "day_label"),
    [("fr", "mercredi 2 décembre 2026"), ("ar", "الأربعاء، 2 ديسمبر 2026")],
)
def test_session_picker_starts_on_the_open_session_grouped_by_day(
    live_server, chromium, thirteen_sessions, language, day_label
):
    sessions, raw_token = thirteen_sessions
    open_now = sessions[(datetime.date(2026, 12, 2), 10)]
    page = phone(chromium(), live_server, language=language).new_page()
    page.clock.set_fixed_time(PICKER_NOW)
    log_in(page, live_server, raw_token)

    select = page.locator("#session-select")
    assert select.input_value() == str(open_now.pk)
    groups = select.locator("optgroup")
    assert groups.count() == 3
    assert groups.nth(1).get_attribute("label") == day_label
    assert groups.nth(1).locator("option").count() == 5
    assert groups.nth(1).locator("option").nth(1).text_content().startswith("10:00–12:00 · ")
    # The full description is on the page, wrapped, where the closed select cuts it off.
    detail = page.locator("#session-detail")
    assert day_label in detail.text_content()
    assert "10:00–12:00" in detail.text_content()
    box = detail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    start_scanning(page)
    header = page.locator("#session-title").text_content()
    assert "Forum des femmes" in header and day_label in header and "10:00–12:00" in header


def test_session_picker_remembers_todays_choice_but_not_yesterdays(
    live_server, chromium, thirteen_sessions
):
    sessions, raw_token = thirteen_sessions
    afternoon = sessions[(datetime.date(2026, 12, 2), 14)]
    yesterday = sessions[(datetime.date(2026, 12, 1), 14)]
    open_now = sessions[(datetime.date(2026, 12, 2), 10)]
    page = phone(chromium(), live_server).new_page()
    page.clock.set_fixed_time(PICKER_NOW)
    log_in(page, live_server, raw_token)
    page.locator("#session-select").select_option(str(afternoon.pk))
    start_scanning(page)

    page.reload()
    page.wait_for_selector("#setup:not([hidden])", timeout=WAIT)
    assert page.locator("#session-select").input_value() == str(afternoon.pk)

    page.locator("#session-select").select_option(str(yesterday.pk))
    start_scanning(page)
    page.reload()
    page.wait_for_selector("#setup:not([hidden])", timeout=WAIT)
    assert page.locator("#session-select").input_value() == str(open_now.pk)


# The header: exit switch, sound switch ----------------------------------------------------------


def test_exit_switch_is_hidden_when_the_event_has_no_exit_scans(live_server, chromium):
    from playwright.sync_api import expect

    _event, _tickets, raw_token = open_door_today(exits=False)
    page = phone(chromium(), live_server).new_page()
    log_in(page, live_server, raw_token)
    start_scanning(page)

    expect(page.locator("#direction-box")).to_be_hidden()
    expect(page.locator("#exit-mode")).to_be_hidden()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_exit_switch_box_sits_beside_its_words(live_server, chromium, language):
    _event, _tickets, raw_token = open_door_today(exits=True)
    page = phone(chromium(), live_server, language=language).new_page()
    log_in(page, live_server, raw_token)
    start_scanning(page)

    # Both boxes are read in one frame: the page may scroll while the scanner settles, and two
    # separate reads would then compare positions taken at different scroll offsets.
    label, box = page.evaluate(
        """() => ['#direction-box', '#exit-mode'].map((selector) => {
            const rect = document.querySelector(selector).getBoundingClientRect();
            return {y: rect.y, width: rect.width, height: rect.height};
        })"""
    )
    assert box["width"] < label["width"] / 2  # not a full-width line of its own
    box_middle = box["y"] + box["height"] / 2
    label_middle = label["y"] + label["height"] / 2
    assert abs(box_middle - label_middle) <= 2


# Times --------------------------------------------------------------------------------------


def test_times_are_on_the_event_clock_on_a_phone_set_to_another_zone(live_server, chromium):
    from playwright.sync_api import expect

    _event, (awa,), raw_token = open_door_today()
    page = phone(chromium(), live_server, timezone_id="America/New_York").new_page()
    log_in(page, live_server, raw_token)
    start_scanning(page)
    expect(page.locator("#pack-info")).to_contain_text("1", timeout=WAIT)

    synced = page.evaluate("() => localStorage.getItem('multaqa.lastSync')")
    at = datetime.datetime.fromisoformat(synced.replace("Z", "+00:00")).astimezone(EVENT_ZONE)
    expect(page.locator("#last-sync")).to_have_text(at.strftime("%H:%M"))

    # The server's message for a second scan names the first one's time on the same clock.
    type_code(page, awa.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback ok", timeout=WAIT)
    type_code(page, awa.short_code)
    expect(page.locator("#feedback")).to_have_class("feedback warn", timeout=WAIT)
    admitted = timezone.localtime(Attendance.objects.get(ticket=awa).recorded_at, EVENT_ZONE)
    expect(page.locator("#feedback-message")).to_contain_text(admitted.strftime("%H:%M"))


# Sound and vibration ---------------------------------------------------------------------------

# Records what the page asks of the phone's vibrator and loudspeaker (the browser's own APIs).
SIGNAL_RECORDER = """(() => {
  window.__signals = [];
  navigator.vibrate = (pattern) => { window.__signals.push({ vibrate: [].concat(pattern) }); return true; };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__signals.push({ tone: this.frequency.value });
    return start.apply(this, args);
  };
})();"""


def signals_after(page, action):
    page.evaluate("() => { window.__signals = []; }")
    action()
    page.wait_for_timeout(300)
    return page.evaluate("() => window.__signals")


def test_results_beep_and_buzz_distinctly_unless_switched_off(live_server, chromium):
    from playwright.sync_api import expect

    _event, (awa,), raw_token = open_door_today()
    context = phone(chromium(), live_server)
    context.add_init_script(SIGNAL_RECORDER)
    page = context.new_page()
    log_in(page, live_server, raw_token)
    start_scanning(page)
    feedback = page.locator("#feedback")

    def scan(code, tone):
        type_code(page, code)
        expect(feedback).to_have_class(f"feedback {tone}", timeout=WAIT)

    welcome = signals_after(page, lambda: scan(awa.short_code, "ok"))
    already = signals_after(page, lambda: scan(awa.short_code, "warn"))
    problem = signals_after(page, lambda: scan("NOPE0000", "bad"))
    assert welcome == [{"vibrate": [80]}, {"tone": 880}]
    assert already == [{"vibrate": [100, 80, 100]}, {"tone": 620}, {"tone": 620}]
    assert problem == [{"vibrate": [400]}, {"tone": 200}]

    page.locator("#signals-on").uncheck()
    assert signals_after(page, lambda: scan(awa.short_code, "warn")) == []
    page.reload()
    start_scanning(page)
    expect(page.locator("#signals-on")).not_to_be_checked()
    assert signals_after(page, lambda: scan(awa.short_code, "warn")) == []


# Heading and contrast ---------------------------------------------------------------------------

# The contrast ratio (WCAG 2) of each visible text against the first opaque background behind
# it; large text (24 px, or 18.66 px bold) needs 3:1, the rest 4.5:1.
LOW_CONTRAST = """() => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length === 3 || colour[3] === 1) return colour;
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const element of document.querySelectorAll("#scanner *")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !element.checkVisibility() || element.disabled) continue;
    const style = getComputedStyle(element);
    const [l1, l2] = [luminance(rgb(style.color)), luminance(background(element))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${element.id || element.tagName} ${element.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
  }
  return failures;
}"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_scanner_has_one_heading_and_readable_contrast(live_server, chromium, language):
    from playwright.sync_api import expect

    _event, (awa,), raw_token = open_door_today(exits=True)
    page = phone(chromium(), live_server, language=language).new_page()
    page.goto(f"{live_server.url}/scan/")
    expect(page.locator("#login")).to_be_visible(timeout=WAIT)
    expect(page.locator("h1:visible")).to_have_count(1)
    page.goto("about:blank")
    log_in(page, live_server, raw_token)
    expect(page.locator("h1:visible")).to_have_count(1)
    assert page.evaluate(LOW_CONTRAST) == []

    start_scanning(page)
    expect(page.locator("h1:visible")).to_have_count(1)
    page.locator("#walk-in summary").click()
    assert page.evaluate(LOW_CONTRAST) == []
    for code, tone in ((awa.short_code, "ok"), (awa.short_code, "warn"), ("NOPE0000", "bad")):
        type_code(page, code)
        expect(page.locator("#feedback")).to_have_class(f"feedback {tone}", timeout=WAIT)
        assert page.evaluate(LOW_CONTRAST) == [], tone


# Walk-ins -----------------------------------------------------------------------------------


def test_walk_ins_of_another_gender_or_unsaid_count_in_their_own_rows(live_server, chromium):
    from playwright.sync_api import expect

    event, _tickets, raw_token = open_door_today()
    page = phone(chromium(), live_server).new_page()
    log_in(page, live_server, raw_token)
    start_scanning(page)
    page.locator("#walk-in summary").click()

    page.locator(".walk-in[data-gender=other][data-age-band='25-59']").click()
    expect(page.locator("#count-total")).to_have_text("1", timeout=WAIT)
    page.locator("#walk-in-count").fill("2")
    page.locator(".walk-in[data-gender=undisclosed][data-age-band='0-4']").click()
    expect(page.locator("#count-total")).to_have_text("3", timeout=WAIT)

    gender = figures_for_event(event=event).totals.breakdowns["attendances"]
    assert gender.share("gender", "other").count == 1
    assert gender.share("gender", "undisclosed").count == 2
    assert gender.share("gender", "female").count == gender.share("gender", "male").count == 0
