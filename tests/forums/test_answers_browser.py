"""A partner answers from a phone, in Arabic, through the link they were e-mailed (headless
Chromium): a position and a commitment; the organizer's follow-up page then shows both."""

import pytest

from core.models import Membership
from forums.models import Commitment, Response
from forums.partners import partner_link_token
from tests.browser_login import signed_in_context
from tests.factories import ContactFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WAIT = 15_000


def _accepted_with_commitment_in_arabic(browser, live_server, organization, *, card, what, by_whom):
    """A contact of `organization` who reads Arabic follows the link they were e-mailed on a
    phone, accepts the subject on the `card` and commits to `what` by `by_whom`. Returns the
    page, still open on the answer."""
    from playwright.sync_api import expect

    contact = ContactFactory(organization=organization, preferred_language="ar")
    token = partner_link_token(contact=contact)
    page = browser.new_context(viewport=PHONE, locale="ar").new_page()
    page.goto(f"{live_server.url}/partners/link/{token}/answers/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(".card", has_text=card).get_by_role("link", name="الجواب").click()
    page.get_by_label("مقبولة").check()
    page.locator("#response-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("تم حفظ جوابكم", timeout=WAIT)
    form = page.locator("#commitment-form")
    form.get_by_label("ما سيتم إنجازه").fill(what)
    form.get_by_label("من طرف من").fill(by_whom)
    form.get_by_label("في أي أجل").fill("2027-03-01")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("تمت إضافة الالتزام", timeout=WAIT)
    return page


def test_partner_answers_with_a_commitment_and_the_follow_up_page_shows_it(
    live_server, browser, closed_forum
):
    from playwright.sync_api import expect

    rec = closed_forum.recommendations["enrol"]
    page = _accepted_with_commitment_in_arabic(
        browser,
        live_server,
        closed_forum.education,
        card="تسجيل الأطفال المهاجرين دون عقد ازدياد",
        what="مذكرة إلى مديري المدارس",
        by_whom="مصلحة التمدرس",
    )
    expect(page.get_by_text("مذكرة إلى مديري المدارس")).to_be_visible()
    page.context.close()
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


def test_a_proposal_made_on_a_phone_is_put_to_a_partner_answered_and_followed_up(
    live_server, browser, forum
):
    """A participant proposes in Arabic with their ticket code; the organizer accepts it and
    asks education to answer; education's contact answers with a commitment from the e-mailed
    link; the forum's follow-up page shows the answer and the commitment."""
    from playwright.sync_api import expect

    from proposals.models import Proposal
    from proposals.services import call_open

    forum.event.programme.partners.add(forum.education)
    call_open(event=forum.event, themes=[{"name_fr": "Vivre ensemble", "name_ar": "العيش المشترك"}])
    code = forum.tickets[0].short_code
    phone = browser.new_context(viewport=PHONE, locale="ar").new_page()
    phone.goto(f"{live_server.url}/propose/{forum.event.pk}/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.fill("#id_code", code)
    phone.click("button:has-text('متابعة')")
    phone.wait_for_selector("form[data-form=propose]")
    phone.select_option("#id_theme", label="العيش المشترك")
    phone.fill("#id_title", "ملعب للحي")
    phone.fill("#id_text", "ملعب يجمع شباب الحي والشباب المهاجرين.")
    phone.click("button:has-text('أرسل مقترحي')")
    phone.wait_for_selector("text=شكرًا! سيظهر مقترحك بعد مراجعته.")
    phone.context.close()
    proposal = Proposal.objects.get()

    organizer = MembershipFactory(organization=forum.event.organizer).user
    desk = signed_in_context(
        browser, live_server, organizer, viewport=PHONE, locale="fr"
    ).new_page()
    desk.goto(f"{live_server.url}/organizer/events/{forum.event.pk}/proposals/")
    card = desk.locator(f"[data-proposal='{proposal.pk}']")
    card.locator("button:has-text('Accepter')").click()
    expect(desk.locator(".messages")).to_contain_text("C'est fait.", timeout=WAIT)
    card = desk.locator(f"[data-proposal='{proposal.pk}']")
    card.get_by_label(forum.education.name).check()
    card.locator("button:has-text('Enregistrer les partenaires sollicités')").click()
    expect(desk.locator(".messages")).to_contain_text("C'est fait.", timeout=WAIT)
    assert list(proposal.addressees.values_list("organization_id", flat=True)) == [
        forum.education.pk
    ]

    page = _accepted_with_commitment_in_arabic(
        browser,
        live_server,
        forum.education,
        card="ملعب للحي",
        what="تهيئة قطعة أرضية للملعب",
        by_whom="مصلحة التجهيز",
    )
    page.context.close()
    response = Response.objects.get(proposal=proposal, organization=forum.education)
    assert Commitment.objects.get(response=response).what == "تهيئة قطعة أرضية للملعب"

    desk.goto(f"{live_server.url}/forums/{forum.event.pk}/followup/")
    row = desk.locator(".followup-proposal", has_text="ملعب للحي")
    expect(row).to_contain_text("Acceptée", timeout=WAIT)
    expect(row).to_contain_text("تهيئة قطعة أرضية للملعب")
    expect(row).to_contain_text("Prévu")
    desk.context.close()
