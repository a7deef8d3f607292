"""A partner answers from a phone, in Arabic, through the link they were e-mailed (headless
Chromium): a position and a commitment; the organizer's follow-up page then shows both."""

import pytest

from core.models import Membership
from forums.models import Commitment, Response
from forums.partners import partner_link_token
from tests.factories import ContactFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WAIT = 15_000


def test_partner_answers_with_a_commitment_and_the_follow_up_page_shows_it(
    live_server, browser, closed_forum
):
    from playwright.sync_api import expect

    contact = ContactFactory(organization=closed_forum.education, preferred_language="ar")
    rec = closed_forum.recommendations["enrol"]
    token = partner_link_token(contact=contact)
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.goto(f"{live_server.url}/partners/link/{token}/answers/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    card = page.locator(".card", has_text="تسجيل الأطفال المهاجرين دون عقد ازدياد")
    card.get_by_role("link", name="الجواب").click()
    page.get_by_label("مقبولة").check()
    page.locator("#response-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("تم حفظ جوابكم", timeout=WAIT)
    form = page.locator("#commitment-form")
    form.get_by_label("ما سيتم إنجازه").fill("مذكرة إلى مديري المدارس")
    form.get_by_label("من طرف من").fill("مصلحة التمدرس")
    form.get_by_label("في أي أجل").fill("2027-03-01")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("تمت إضافة الالتزام", timeout=WAIT)
    expect(page.get_by_text("مذكرة إلى مديري المدارس")).to_be_visible()
    context.close()
    response = Response.objects.get(recommendation=rec, organization=closed_forum.education)
    assert response.position == "accepted"
    assert Commitment.objects.get(response=response).what == "مذكرة إلى مديري المدارس"

    organizer = MembershipFactory(
        organization=closed_forum.event.organizer, role=Membership.Role.ORGANIZER
    ).user
    context = browser.new_context(viewport=PHONE, locale="fr")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/?next=/forums/{closed_forum.event.pk}/followup/")
    page.locator("#id_username").fill(organizer.username)
    page.locator("#id_password").fill("pass-word-123")
    page.locator("form button[type=submit]").last.click()
    row = page.locator(".followup-row", has_text=rec.text)
    expect(row).to_contain_text("Acceptée", timeout=WAIT)
    expect(row).to_contain_text("مذكرة إلى مديري المدارس")
    expect(row).to_contain_text("Prévu")
    context.close()
