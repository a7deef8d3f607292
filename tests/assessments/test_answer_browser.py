"""The room link on a phone, in real headless Chromium: a person answers the pre-check in Arabic
with their ticket code while the phone is offline (the answers wait in the phone's queue), the
connection comes back and they are recorded once; then the post-check, and the pair is counted.
And the paper grid, typed by keyboard only: thirty sheets recorded."""

import pytest
from django.utils import translation

from assessments.models import Submission
from assessments.selectors import results_for_session
from tests.browser_login import signed_in_context
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

from .world import QUESTIONS, checks_make, question_set_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 15000
PHONE = {"width": 360, "height": 740}


def _arabic(message: str) -> str:
    with translation.override("ar"):
        return translation.gettext(message)


def _answer_all(page, correct: int):
    from playwright.sync_api import expect

    for number in range(QUESTIONS):
        expect(page.locator("#question-text")).to_have_text(f"السؤال {number + 1}؟", timeout=WAIT)
        wanted = "الجواب 2" if number < correct else "الجواب 1"
        page.locator("#choices button", has_text=wanted).click()


def test_a_phone_answers_in_arabic_offline_then_reconnects_and_the_post_check_pairs(
    live_server, browser
):
    from playwright.sync_api import expect

    session = SessionFactory()
    pre, post = checks_make(session, question_set_make(session.event.programme))
    ticket = TicketFactory(attendee__registration__event=session.event)

    context = browser.new_context(viewport=PHONE, locale="ar-MA", has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/checks/{pre.room_token}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("العنف على طريق الهجرة")

    context.set_offline(True)
    page.locator("#code").fill(ticket.short_code.lower())
    page.locator("#with-code button[type=submit]").click()
    _answer_all(page, correct=2)
    expect(page.locator("#done-text")).to_have_text(
        _arabic("No connection: the answers are kept on this phone and sent when it is back."),
        timeout=WAIT,
    )
    queued = page.evaluate("JSON.parse(localStorage.getItem('multaqa-checks-queue')).length")
    assert queued == 1
    assert Submission.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("#done-text")).to_contain_text(
        _arabic("Thank you: your answers are recorded."), timeout=WAIT
    )
    assert page.evaluate("JSON.parse(localStorage.getItem('multaqa-checks-queue')).length") == 0
    submission = Submission.objects.get()
    assert (submission.ticket_id, submission.correct, submission.passed) == (ticket.pk, 2, False)

    page.goto(f"{live_server.url}/checks/{post.room_token}/")
    page.locator("#code").fill(ticket.short_code)
    page.locator("#code").press("Enter")
    _answer_all(page, correct=4)
    expect(page.locator("#done-text")).to_contain_text(
        _arabic("Thank you: your answers are recorded."), timeout=WAIT
    )
    [result] = results_for_session(session)
    assert (result.overall.paired.people, result.overall.paired.improved) == (1, 1)
    assert Submission.objects.count() == 2
    context.close()


def test_thirty_paper_sheets_typed_in_with_the_keyboard_only(live_server, browser):
    from playwright.sync_api import expect

    session = SessionFactory()
    pre, _post = checks_make(session, question_set_make(session.event.programme))
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(15)]
    user = MembershipFactory(organization=session.event.organizer).user
    context = signed_in_context(browser, live_server, user, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/organizer/checks/{pre.pk}/grid/")
    expect(page.locator("input[name='row-0-code']")).to_be_focused()
    keyboard = page.keyboard
    for row in range(30):
        if row < 15:  # the code, then Tab over the three empty demographic boxes
            keyboard.type(tickets[row].short_code)
            keyboard.press("Tab")
            keyboard.press("Tab")
            keyboard.press("Tab")
            keyboard.press("Tab")
        else:  # no code: gender, age band, profile as digits
            keyboard.press("Tab")
            for digit in ("1", str(1 + row % 6), "2"):
                keyboard.type(digit)
                keyboard.press("Tab")
        keyboard.type("22211" if row % 2 else "11111")
        keyboard.press("Tab")
    keyboard.press("Enter")  # on the "record" button, after the last row
    expect(page.locator("#grid-outcome")).to_contain_text("30", timeout=WAIT)
    assert Submission.objects.filter(assignment=pre, channel="paper").count() == 30
    assert Submission.objects.filter(assignment=pre, passed=True).count() == 15
    assert (
        Submission.objects.filter(assignment=pre, ticket__isnull=True, gender="female").count()
        == 15
    )
    context.close()
