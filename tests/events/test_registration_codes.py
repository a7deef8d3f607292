"""The confirmation page shows every member's code to write down or screenshot, and says
plainly when no SMS or e-mail will be sent (no consent, or nowhere to send it)."""

import re

import pytest

from events.models import Registration, Ticket
from tests.factories import EventFactory, SessionFactory

from .test_public_registration import form_data, url, with_members

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

NOTHING_SENT = {
    "fr": "Vous n’avez pas accepté d’être contacté·e : aucun SMS et aucun e-mail ne seront envoyés.",
    "ar": "لم توافق على التواصل معك، لذلك لن تُرسل أي رسالة نصية ولا أي بريد إلكتروني.",
    "en": "You did not agree to be contacted, so no SMS and no e-mail will be sent.",
}


@pytest.fixture
def event():
    event = EventFactory()
    SessionFactory(event=event)
    return event


def family(**overrides):
    return with_members(
        form_data(**{"contact-kind": "household", **overrides}),
        {"first_name": "Awa", "gender": "female", "age_band": "5-11", "profile": ""},
        {"first_name": "", "gender": "male", "age_band": "0-4", "profile": "migrant"},
    )


def confirmation_page(client, event, data, language):
    """The page after registering, in the participant's language (the form's choice)."""
    response = client.post(url(event), data)
    assert response.status_code == 302
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language).content.decode()


def entrance_codes(page: str) -> list[str]:
    section = page.split('id="entrance-codes"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<strong class="code" dir="ltr">([^<]+)</strong>', section)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_without_consent_the_page_says_nothing_will_be_sent_and_lists_every_code(
    client, event, language
):
    page = confirmation_page(client, event, family(**{"contact-language": language}), language)
    assert NOTHING_SENT[language] in page
    tickets = Ticket.objects.order_by("-attendee__is_contact", "attendee_id")
    assert entrance_codes(page) == [str(ticket) for ticket in tickets]
    registration = Registration.objects.get()
    assert f">http://testserver{registration.get_absolute_url()}</a>" in page


def test_with_consent_but_no_phone_or_email_the_page_says_nothing_will_be_sent(client, event):
    data = family(
        **{"contact-consent_contact": "on", "contact-phone": "", "contact-language": "en"}
    )
    page = confirmation_page(client, event, data, "en")
    assert "No phone number or e-mail was given, so no SMS and no e-mail will be sent." in page
    assert len(entrance_codes(page)) == 3


def test_with_consent_and_a_phone_the_page_does_not_say_nothing_will_be_sent(client, event):
    data = family(**{"contact-consent_contact": "on", "contact-language": "en"})
    page = confirmation_page(client, event, data, "en")
    assert 'id="nothing-sent"' not in page
    assert "We also send these codes to the phone or e-mail you gave." in page
    assert len(entrance_codes(page)) == 3


def test_waiting_list_tickets_are_not_shown_as_codes_to_give(client):
    event = EventFactory(capacity=1)
    SessionFactory(event=event)
    page = confirmation_page(client, event, family(**{"contact-language": "en"}), "en")
    assert Ticket.objects.filter(status=Ticket.Status.WAITLISTED).count() == 3
    assert 'id="entrance-codes"' not in page
