import datetime

import pytest
from django.test import override_settings

from events.models import EventStatus, Registration, Ticket
from tests.events.registration_form import form_data, with_members
from tests.factories import EventFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def event():
    event = EventFactory(
        title="Rencontre des familles", title_ar="لقاء الأسر", title_en="Family meeting"
    )
    SessionFactory(event=event)
    return event


def url(event):
    return f"/events/{event.pk}/register/"


@pytest.mark.parametrize(
    ("language", "direction", "title", "button"),
    [
        ("fr", "ltr", "Rencontre des familles", "inscrire"),
        ("ar", "rtl", "لقاء الأسر", "التسجيل"),
        ("en", "ltr", "Family meeting", "Register"),
    ],
)
def test_public_page_in_each_language(client, event, language, direction, title, button):
    client.cookies["django_language"] = language
    response = client.get(url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert title in html
    assert button in html
    assert 'name="language"' in html  # the language switcher of the base template
    assert 'name="contact-website"' in html  # honeypot present but hidden
    assert "contact-nationality" not in html  # off by default


def test_public_list_links_to_the_registration_form(client, event):
    assert url(event) in client.get("/events/").content.decode()


def test_nationality_is_asked_only_when_the_event_wants_it(client):
    event = EventFactory(ask_nationality=True)
    assert "contact-nationality" in client.get(url(event)).content.decode()


def test_draft_event_has_no_public_page(client):
    assert client.get(url(EventFactory(status=EventStatus.DRAFT))).status_code == 404


def test_registering_alone_leads_to_the_confirmation_page_with_the_ticket(client, event):
    response = client.post(url(event), form_data())
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert registration.phone == "+212612345678"
    assert registration.source == Registration.Source.WEB
    assert registration.consent_contact is False
    page = client.get(response["Location"])
    ticket = Ticket.objects.get()
    html = page.content.decode()
    assert ticket.get_absolute_url() in html
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]


def test_family_registration_from_the_form_gives_every_member_a_ticket(client, event):
    data = with_members(
        form_data(**{"contact-kind": "household", "contact-consent_contact": "on"}),
        {"first_name": "Awa", "gender": "female", "age_band": "5-11", "profile": ""},
        {"first_name": "", "gender": "male", "age_band": "0-4", "profile": "migrant"},
        {"first_name": "", "gender": "", "age_band": "", "profile": ""},  # untouched row
    )
    response = client.post(url(event), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.kind == Registration.Kind.HOUSEHOLD
    assert registration.consent_contact is True
    assert registration.members.count() == 3
    assert Ticket.objects.filter(attendee__registration=registration).count() == 3
    html = client.get(response["Location"]).content.decode()
    for ticket in Ticket.objects.all():
        assert ticket.get_absolute_url() in html


def test_add_member_button_shows_one_more_row_and_keeps_typed_values(client, event):
    data = form_data(**{"contact-consent_register": ""})
    data.pop("register")
    data["add_member"] = "1"
    response = client.post(url(event), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="members-0-gender"' in html
    assert 'value="Aminata"' in html
    assert "errorlist" not in html
    assert not Registration.objects.exists()


def test_bad_input_returns_the_form_with_messages_in_the_page_language(client, event):
    client.cookies["django_language"] = "ar"
    data = form_data(
        **{"contact-phone": "123", "contact-gender": "", "contact-consent_register": ""}
    )
    response = client.post(url(event), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'dir="rtl"' in html
    assert "errorlist" in html
    assert "أدخل رقم هاتف صحيح" in html  # invalid phone, in Arabic
    assert not Registration.objects.exists()


def test_member_without_gender_is_a_form_error(client, event):
    data = with_members(form_data(), {"first_name": "Awa", "gender": "", "age_band": "5-11"})
    response = client.post(url(event), data)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_honeypot_filled_in_registers_nobody(client, event):
    response = client.post(url(event), form_data(**{"contact-website": "http://spam.example"}))
    assert response.status_code == 400
    assert not Registration.objects.exists()


@override_settings(REGISTRATION_RATE_LIMIT=(3, 3600))
def test_too_many_registrations_from_one_ip_get_a_429_with_the_form_kept(client, event):
    for _attempt in range(3):
        client.post(url(event), form_data(), REMOTE_ADDR="10.0.0.1")
    typed = form_data(**{"contact-first_name": "Khadija", "contact-phone": "0698765432"})
    response = client.post(url(event), typed, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode().replace("\xa0", " ")
    assert "Trop de formulaires" in html and "dans 1 heure" in html
    assert 'value="Khadija"' in html and 'value="0698765432"' in html
    assert Registration.objects.count() == 3
    # Another connection is not affected, and reading the page is never limited.
    assert client.post(url(event), form_data(), REMOTE_ADDR="10.0.0.2").status_code == 302
    assert client.get(url(event), REMOTE_ADDR="10.0.0.1").status_code == 200


@override_settings(REGISTRATION_RATE_LIMIT=(2, 3600))
def test_submissions_with_errors_do_not_count_towards_the_registration_limit(client, event):
    for _attempt in range(6):
        response = client.post(url(event), form_data(**{"contact-gender": ""}))
        assert response.status_code == 400
    assert client.post(url(event), form_data()).status_code == 302
    assert client.post(url(event), form_data()).status_code == 302
    assert client.post(url(event), form_data()).status_code == 429


@override_settings(REGISTRATION_REFUSED_RATE_LIMIT=(4, 60))
def test_a_flood_of_refused_submissions_is_stopped_even_before_a_valid_one(client, event):
    for _attempt in range(4):
        client.post(url(event), form_data(**{"contact-website": "http://spam.example"}))
    response = client.post(url(event), form_data())
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("language", "wait"),
    [
        ("fr", "dans 12 minutes"),
        ("ar", "12 دقيقة"),
        ("en", "in 12 minutes"),
    ],
)
@override_settings(REGISTRATION_RATE_LIMIT=(1, 12 * 60))
def test_the_wait_is_said_in_minutes_in_each_language(client, event, language, wait):
    client.cookies["django_language"] = language
    assert client.post(url(event), form_data()).status_code == 302
    response = client.post(url(event), form_data(**{"contact-first_name": "Awa"}))
    assert response.status_code == 429
    html = response.content.decode().replace("\xa0", " ")  # Django keeps "12 minutes" on one line
    assert wait in html
    assert 'value="Awa"' in html


@override_settings(REGISTRATION_RATE_LIMIT=(2, 3600))
def test_adding_member_rows_does_not_count_towards_the_rate_limit(client, event):
    data = form_data()
    data.pop("register")
    data["add_member"] = "1"
    for _attempt in range(5):
        assert client.post(url(event), data).status_code == 200
    assert client.post(url(event), form_data()).status_code == 302


def test_closed_registration_shows_the_reason_and_no_form(client, frozen_now):
    event = EventFactory(registration_closes_at=frozen_now - datetime.timedelta(minutes=1))
    response = client.get(url(event))
    html = response.content.decode()
    assert "Les inscriptions à cet événement sont closes." in html
    assert 'name="contact-gender"' not in html
    assert client.post(url(event), form_data()).status_code == 409
    assert not Registration.objects.exists()


def test_full_event_puts_the_public_registration_on_the_waiting_list(client):
    event = EventFactory(capacity=1)
    client.post(url(event), form_data())
    response = client.post(url(event), form_data(), REMOTE_ADDR="10.0.0.9")
    html = client.get(response["Location"]).content.decode()
    assert "liste d’attente" in html or "liste d'attente" in html


def test_sessions_can_be_chosen_when_the_event_has_several(client, event):
    second = SessionFactory(event=event, start_time=datetime.time(15), end_time=datetime.time(17))
    response = client.post(url(event), form_data(**{"contact-sessions": [str(second.pk)]}))
    assert response.status_code == 302
    assert list(Ticket.objects.get().sessions.all()) == [second]


def test_ticket_page_shows_qr_code_short_code_sessions_in_the_participant_language(client, event):
    client.post(url(event), form_data(**{"contact-language": "ar"}))
    ticket = Ticket.objects.get()
    client.cookies.clear()
    response = client.get(ticket.get_absolute_url())
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "لقاء الأسر" in html
    assert f"/tickets/{ticket.secret}/qr.png" in html
    assert f"/tickets/{ticket.secret}/qr.svg" in html
    assert str(ticket) in html
    assert event.sessions.get().venue.name in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_language_picked_with_the_switcher_wins_on_the_ticket_page(client, event):
    client.post(url(event), form_data(**{"contact-language": "ar"}))
    client.cookies["django_language"] = "en"
    html = client.get(Ticket.objects.get().get_absolute_url()).content.decode()
    assert 'dir="ltr"' in html and "Family meeting" in html


def test_unknown_ticket_and_registration_links_are_404(client):
    assert client.get("/tickets/not-a-secret/").status_code == 404
    assert client.get("/registrations/not-a-token/").status_code == 404


@pytest.mark.redis
def test_rate_limit_counts_are_shared_through_redis():
    from django.conf import settings
    from django.core.cache import cache

    from core.ratelimit import ratelimit_hit

    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    cache.delete("ratelimit:test-redis:10.1.1.1")
    results = [
        ratelimit_hit(scope="test-redis", key="10.1.1.1", limit=2, window_seconds=60)
        for _attempt in range(3)
    ]
    assert results == [True, True, False]


def test_absurd_event_ids_are_404_not_500(client):
    assert client.get(f"/events/{10**30}/register/").status_code == 404


@pytest.mark.parametrize("total", ["²", "9" * 5000, "-1", ""])
def test_tampered_member_count_never_crashes(client, event, total):
    data = form_data(**{"members-TOTAL_FORMS": total})
    assert client.post(url(event), data).status_code == 302
    data["add_member"] = "1"
    assert client.post(url(event), data).status_code == 200
