import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from events.codes import format_short_code
from forums import services
from forums.models import Endorsement, Recommendation
from forums.partners import partner_link_token
from tests.factories import ContactFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rapporteur_client(client, forum):
    user = UserFactory(is_staff=False)
    services.rapporteur_assign(event=forum.event, user=user)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "language,rtl,button",
    [
        ("fr", False, "Enregistrer la recommandation"),
        ("ar", True, "حفظ التوصية"),
        ("en", False, "Save the recommendation"),
    ],
)
def test_rapporteur_page_works_in_each_language(rapporteur_client, forum, language, rtl, button):
    rapporteur_client.cookies["django_language"] = language
    response = rapporteur_client.get(reverse("forums:rapporteur", args=[forum.event.pk]))
    assert response.status_code == 200
    direction = "rtl" if rtl else "ltr"
    assert f'<html lang="{language}" dir="{direction}">'.encode() in response.content
    assert button in response.content.decode()


def test_rapporteur_enters_a_recommendation_from_the_phone(rapporteur_client, forum):
    theme = forum.recommendations["enrol"].theme
    response = rapporteur_client.post(
        reverse("forums:rapporteur", args=[forum.event.pk]),
        {
            "theme": theme.pk,
            "text": "Des cours d'arabe pour adultes",
            "language": "fr",
            "priority": 2,
            "addressed_to": [forum.commune.pk],
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(text="Des cours d'arabe pour adultes")
    assert rec.status == "draft" and list(rec.addressed_to.all()) == [forum.commune]


def test_rapporteur_form_errors_are_shown_not_500(rapporteur_client, forum):
    response = rapporteur_client.post(
        reverse("forums:rapporteur", args=[forum.event.pk]),
        {
            "theme": "",
            "text": "",
            "language": "fr",
            "priority": 2,
            "proposer_name": "Ousmane",
            "proposer_agreed_to_be_named": "",
        },
    )
    assert response.status_code == 200
    assert Recommendation.objects.count() == 4


def test_user_who_is_not_a_rapporteur_of_this_forum_gets_404(client, forum):
    client.force_login(UserFactory())
    assert client.get(reverse("forums:rapporteur", args=[forum.event.pk])).status_code == 404


def test_organizer_adopts_and_merges_from_the_page(client, forum):
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    draft = forum.recommendations["draft"]
    page = client.get(reverse("forums:manage", args=[forum.event.pk]))
    assert page.status_code == 200 and b"Brouillon jamais adopt" in page.content
    url = reverse("forums:recommendation_action", args=[forum.event.pk, draft.pk, "adopt"])
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "adopted"
    url = reverse("forums:recommendation_action", args=[forum.event.pk, draft.pk, "merge"])
    client.post(url, {"into": forum.recommendations["clinic"].pk})
    draft.refresh_from_db()
    assert draft.merged_into == forum.recommendations["clinic"]


def test_organizer_edits_a_recommendation(client, forum):
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    rec = forum.recommendations["clinic"]
    url = reverse("forums:recommendation_edit", args=[forum.event.pk, rec.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "theme": rec.theme_id,
            "text": "Ouvrir une permanence de santé le samedi matin",
            "language": "fr",
            "text_en": "Open a Saturday morning health desk",
            "priority": 1,
            "addressed_to": [forum.health.pk, forum.commune.pk],
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.text_en == "Open a Saturday morning health desk" and rec.priority == 1
    assert set(rec.addressed_to.all()) == {forum.health, forum.commune}


def test_screen_shows_a_qr_code_of_the_endorsement_page(client, forum):
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    response = client.get(reverse("forums:screen", args=[forum.event.pk]))
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert reverse("forums:endorse", args=[forum.event.pk]).encode() in response.content


@pytest.mark.parametrize(
    "language,label",
    [
        ("fr", "Le code de votre billet"),
        ("ar", "رمز تذكرتكم"),
        ("en", "Your ticket code"),
    ],
)
def test_participant_endorses_with_the_ticket_code(client, forum, language, label):
    client.cookies["django_language"] = language
    url = reverse("forums:endorse", args=[forum.event.pk])
    assert label in client.get(url).content.decode()
    ticket = forum.tickets[0]
    response = client.post(url, {"action": "code", "code": format_short_code(ticket.short_code)})
    assert response.status_code == 302
    page = client.get(url)
    # Untranslated text falls back to the original, so the recommendation shows in every language.
    assert "Ouvrir une permanence de santé le samedi" in page.content.decode()
    rec = forum.recommendations["clinic"]
    for _ in range(2):
        client.post(url, {"action": "endorse", "recommendation": rec.pk})
    assert Endorsement.objects.filter(recommendation=rec, ticket=ticket).count() == 1
    # The secret never shows up in the page or its links.
    assert ticket.secret.encode() not in client.get(url).content


def test_wrong_code_shows_an_error(client, forum):
    url = reverse("forums:endorse", args=[forum.event.pk])
    response = client.post(url, {"action": "code", "code": "ZZZZ-ZZZZ"})
    assert response.status_code == 200
    assert not Endorsement.objects.exists()


def test_endorsing_without_a_ticket_in_session_does_nothing(client, forum):
    url = reverse("forums:endorse", args=[forum.event.pk])
    client.post(url, {"action": "endorse", "recommendation": forum.recommendations["clinic"].pk})
    assert not Endorsement.objects.exists()


# Partner portal ---------------------------------------------------------------------------------


def test_partner_portal_lists_and_shows_the_personalised_summary(
    closed_forum, partner_contact, client
):
    token = partner_link_token(contact=partner_contact)
    home = client.get(reverse("forums:partner_home", args=[token]))
    assert home.status_code == 200 and b"Forum r" in home.content
    page = client.get(reverse("forums:partner_summary", args=[token, closed_forum.event.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Créer du soutien scolaire") < html.index("Ouvrir une permanence")
    pdf = client.get(reverse("forums:partner_pdf", args=[token, closed_forum.event.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Inscrire les enfants migrants" in " ".join(text.split())
    for value in closed_forum.personal_data:
        assert value not in html and value not in text


def test_partner_portal_in_arabic_is_right_to_left(closed_forum, client):
    contact = ContactFactory(organization=closed_forum.region, preferred_language="ar")
    token = partner_link_token(contact=contact)
    page = client.get(reverse("forums:partner_summary", args=[token, closed_forum.event.pk]))
    assert b'dir="rtl"' in page.content
    assert "تسجيل الأطفال المهاجرين".encode() in page.content


def test_partner_of_another_forum_gets_404(closed_forum, client):
    stranger = ContactFactory(organization=OrganizationFactory())
    token = partner_link_token(contact=stranger)
    assert client.get(reverse("forums:partner_home", args=[token])).status_code == 200
    for name in ("partner_summary", "partner_pdf"):
        url = reverse(f"forums:{name}", args=[token, closed_forum.event.pk])
        assert client.get(url).status_code == 404


def test_bad_link_gets_404_and_session_partner_needs_login(closed_forum, client):
    assert client.get(reverse("forums:partner_home", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("forums:partner_home_session")).status_code == 302
    user = UserFactory(is_staff=False)
    ContactFactory(organization=closed_forum.education, user=user)
    client.force_login(user)
    url = reverse("forums:partner_summary_session", args=[closed_forum.event.pk])
    assert client.get(url).status_code == 200


def test_staff_summary_page_and_pdf(closed_forum, client):
    client.force_login(MembershipFactory(organization=closed_forum.event.organizer).user)
    assert client.get(reverse("forums:summary", args=[closed_forum.event.pk])).status_code == 200
    pdf = client.get(reverse("forums:summary_pdf", args=[closed_forum.event.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_repeated_wrong_codes_are_throttled(client, forum):
    from django.core.cache import cache

    from forums import views

    cache.clear()
    url = reverse("forums:endorse", args=[forum.event.pk])
    for _ in range(views.CODE_GUARD.limit):
        client.post(url, {"action": "code", "code": "ZZZZ-ZZZZ"})
    ticket = forum.tickets[0]
    response = client.post(url, {"action": "code", "code": ticket.short_code})
    assert response.status_code == 200  # refused: the form is shown again
    assert "Trop de tentatives" in response.content.decode()
    cache.clear()
    assert client.post(url, {"action": "code", "code": ticket.short_code}).status_code == 302


def test_rapporteur_who_left_the_organisation_loses_access(rapporteur_client, forum):
    from core.models import Membership

    url = reverse("forums:rapporteur", args=[forum.event.pk])
    assert rapporteur_client.get(url).status_code == 200
    Membership.objects.filter(role=Membership.Role.RAPPORTEUR).delete()
    assert rapporteur_client.get(url).status_code == 404


def test_partner_link_url_opens_the_portal(closed_forum, partner_contact, client, settings):
    from forums.partners import partner_link_url

    settings.SITE_URL = "https://multaqa.example"
    url = partner_link_url(contact=partner_contact)
    assert url.startswith("https://multaqa.example/partners/link/")
    assert partner_contact.email not in url and partner_contact.name not in url
    assert client.get(url.removeprefix("https://multaqa.example")).status_code == 200
