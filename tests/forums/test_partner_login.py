"""Partner contacts sign in on the shared login page and reach only their own forums."""

import pytest
from django.urls import reverse

from events.models import EventStatus
from tests.factories import ContactFactory, ForumEventFactory, UserFactory

from .conftest import summary_sent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def partner_user(closed_forum):
    user = UserFactory(username="dpen-partner", is_staff=False)
    ContactFactory(organization=closed_forum.education, user=user, preferred_language="fr")
    return user


@pytest.fixture
def unrelated_forum(db):
    event = ForumEventFactory(title="Forum sans lien avec la DPEN")
    type(event).objects.filter(pk=event.pk).update(status=EventStatus.CLOSED)
    event.refresh_from_db()
    summary_sent(event)
    return event


def test_anonymous_partner_page_sends_to_the_login_page(client):
    response = client.get(reverse("forums:partner_home_session"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:login')}?next=/partners/"


@pytest.mark.parametrize(
    ("language", "title", "direction"),
    [("fr", "Se connecter", "ltr"), ("ar", "تسجيل الدخول", "rtl"), ("en", "Sign in", "ltr")],
)
def test_login_page_speaks_the_visitors_language(client, language, title, direction):
    response = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in page and f'dir="{direction}"' in page


def test_partner_signs_in_and_lands_on_the_portal_with_only_their_forums(
    client, partner_user, closed_forum, unrelated_forum
):
    response = client.post(
        reverse("core:login"), {"username": "dpen-partner", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/partners/"
    portal = client.get("/partners/").content.decode()
    assert "Forum régional sur la migration" in portal
    assert unrelated_forum.title not in portal
    own = reverse("forums:partner_summary_session", args=[closed_forum.event.pk])
    other = reverse("forums:partner_summary_session", args=[unrelated_forum.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    pdf = reverse("forums:partner_pdf_session", args=[unrelated_forum.pk])
    assert client.get(pdf).status_code == 404


def test_login_follows_next_to_the_page_asked_for(client, partner_user, closed_forum):
    target = reverse("forums:partner_summary_session", args=[closed_forum.event.pk])
    response = client.post(
        f"{reverse('core:login')}?next={target}",
        {"username": "dpen-partner", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == target


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, partner_user):
    response = client.post(
        reverse("core:login"),
        {"username": "dpen-partner", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/partners/").status_code == 302


def test_staff_still_sign_in_on_the_admin_and_on_the_shared_page(client):
    UserFactory(username="staffer", is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "staffer", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    client.logout()
    response = client.post(reverse("core:login"), {"username": "staffer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


def test_partner_signs_out(client, partner_user):
    client.force_login(partner_user)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert client.get("/partners/").status_code == 302
