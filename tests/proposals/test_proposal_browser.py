"""A participant proposes on a 360 px phone in Arabic with their ticket code, in real headless
Chromium; an organizer accepts it on their page; the participant then sees it and supports it."""

import pytest
from django.conf import settings
from django.test import Client

from proposals.models import Proposal, ProposalEndorsement
from tests.events.test_registration_browser import PHONE_SCREEN
from tests.factories import CallThemeFactory, MembershipFactory

from .conftest import linked_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_phone_proposal_accepted_then_supported(live_server, browser):
    theme = CallThemeFactory(name_fr="Vivre ensemble", name_ar="العيش المشترك")
    call = theme.call
    ticket = linked_ticket(call.event)
    phone = browser.new_context(locale="ar", viewport=PHONE_SCREEN).new_page()
    phone.goto(f"{live_server.url}/propose/{call.event_id}/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    code = ticket.short_code
    phone.fill("#id_code", f"{code[:4].lower()}-{code[4:].lower()}")
    phone.click("button:has-text('متابعة')")
    phone.wait_for_selector("form[data-form=propose]")
    phone.select_option("#id_theme", str(theme.pk))
    phone.fill("#id_title", "ملعب للحي")
    phone.fill("#id_text", "ملعب يجمع شباب الحي والشباب المهاجرين.")
    assert phone.input_value("#id_language") == "ar"
    phone.click("button:has-text('أرسل مقترحي')")
    phone.wait_for_selector("text=شكرًا! سيظهر مقترحك بعد مراجعته.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    proposal = Proposal.objects.get()
    assert (proposal.ticket_id, proposal.language, proposal.status) == (
        ticket.pk,
        "ar",
        "pending",
    )
    assert "ملعب للحي" not in phone.content()  # hidden until accepted

    organizer = MembershipFactory(organization=call.event.organizer).user
    client = Client()
    client.force_login(organizer)
    desk = browser.new_context(locale="fr").new_page()
    desk.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    desk.goto(f"{live_server.url}/organizer/events/{call.event_id}/proposals/")
    card = desk.locator(f"[data-proposal='{proposal.pk}']")
    card.locator("button:has-text('Accepter')").click()
    desk.wait_for_selector("text=C'est fait.")
    proposal.refresh_from_db()
    assert proposal.status == "accepted"

    phone.reload()
    phone.click("button:has-text('أؤيد')")
    phone.wait_for_selector("text=شكرًا، تم احتساب تأييدكم.")
    assert ProposalEndorsement.objects.filter(proposal=proposal).count() == 1
