"""The registration form's channel choice and WhatsApp opt-in: recorded with the wording's
version, refused with a form error (never a 500) when WhatsApp is chosen without the opt-in."""

import pytest

from events.models import Registration
from events.services.registrations import WHATSAPP_OPT_IN_WORDING_VERSION
from tests.events.registration_form import form_data
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def event():
    event = EventFactory()
    SessionFactory(event=event)
    return event


def url(event):
    return f"/events/{event.pk}/register/"


@pytest.mark.parametrize(
    ("language", "choice", "opt_in"),
    [
        ("fr", "WhatsApp", "WhatsApp à ce numéro"),
        ("ar", "واتساب", "واتساب"),
        ("en", "WhatsApp", "on WhatsApp at this phone number"),
    ],
)
def test_the_form_offers_the_channels_and_the_whatsapp_opt_in_in_each_language(
    client, event, language, choice, opt_in
):
    client.cookies["django_language"] = language
    html = client.get(url(event)).content.decode()
    assert 'name="contact-preferred_channel"' in html
    assert 'value="whatsapp"' in html and choice in html
    assert 'name="contact-whatsapp_opt_in"' in html and opt_in in html


def test_choosing_whatsapp_with_the_opt_in_records_it_with_its_version(client, event):
    data = form_data(
        **{
            "contact-consent_contact": "on",
            "contact-preferred_channel": "whatsapp",
            "contact-whatsapp_opt_in": "on",
        }
    )
    response = client.post(url(event), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.preferred_channel == "whatsapp"
    assert registration.whatsapp_opt_in
    assert registration.whatsapp_opt_in_wording_version == WHATSAPP_OPT_IN_WORDING_VERSION
    assert registration.whatsapp_opt_in_recorded_at is not None


def test_whatsapp_without_the_opt_in_is_a_form_error_in_the_page_language(client, event):
    client.cookies["django_language"] = "en"
    data = form_data(**{"contact-consent_contact": "on", "contact-preferred_channel": "whatsapp"})
    response = client.post(url(event), data)
    assert response.status_code == 400
    assert "Tick the WhatsApp agreement" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_unknown_channel_is_a_form_error(client, event):
    response = client.post(url(event), form_data(**{"contact-preferred_channel": "fax"}))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_no_choice_keeps_the_old_behaviour(client, event):
    assert client.post(url(event), form_data()).status_code == 302
    registration = Registration.objects.get()
    assert (registration.preferred_channel, registration.whatsapp_opt_in) == ("", False)
    assert registration.whatsapp_opt_in_wording_version == ""


def test_staff_ticking_the_whatsapp_opt_in_in_the_admin_records_it(client, admin_user):
    from tests.events.test_registration_admin import inline_management

    client.force_login(admin_user)
    event = EventFactory()
    data = {
        "event": event.pk,
        "kind": "individual",
        "contact_name": "Awa",
        "phone": "0612345678",
        "email": "",
        "language": "ar",
        "consent_contact": "on",
        "preferred_channel": "whatsapp",
        "whatsapp_opt_in": "on",
        **inline_management(1),
        "members-0-first_name": "Awa",
        "members-0-gender": "female",
        "members-0-age_band": "25-59",
        "members-0-profile": "migrant",
        "members-0-is_contact": "on",
    }
    response = client.post("/admin/events/registration/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert registration.preferred_channel == "whatsapp"
    assert registration.whatsapp_opt_in_wording_version == WHATSAPP_OPT_IN_WORDING_VERSION
    assert registration.whatsapp_opt_in_recorded_at is not None
