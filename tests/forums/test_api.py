import json

import pytest
import time_machine

from core.models import Membership
from forums.models import Recommendation
from forums.partners import partner_link_token
from tests.factories import ContactFactory, MembershipFactory, OrganizationFactory, UserFactory

from .conftest import attendance, summary_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum_organizer_client(client, forum):
    user = MembershipFactory(organization=forum.event.organizer).user
    client.force_login(user)
    return client


def test_staff_create_update_adopt_and_merge_through_the_api(forum, forum_organizer_client):
    theme = forum.recommendations["enrol"].theme
    response = forum_organizer_client.post(
        f"/api/v1/forums/{forum.event.pk}/recommendations",
        {
            "theme_id": theme.pk,
            "text": "Former les enseignants",
            "language": "fr",
            "addressed_to_ids": [forum.education.pk],
            "priority": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["addressed_to_ids"] == [forum.education.pk]
    rec_id = body["id"]

    response = forum_organizer_client.patch(
        f"/api/v1/recommendations/{rec_id}",
        {"text_ar": "تكوين الأساتذة"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["text_ar"] == "تكوين الأساتذة"
    assert (
        forum_organizer_client.post(f"/api/v1/recommendations/{rec_id}/adopt").json()["status"]
        == "adopted"
    )
    into = forum.recommendations["enrol"].pk
    response = forum_organizer_client.post(
        f"/api/v1/recommendations/{rec_id}/merge",
        {"into_id": into},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id"] == into
    listed = forum_organizer_client.get(
        f"/api/v1/forums/{forum.event.pk}/recommendations?status=merged"
    ).json()
    assert [rec["id"] for rec in listed] == [rec_id]


def test_api_rejects_bad_input_with_4xx(forum, forum_organizer_client):
    url = f"/api/v1/forums/{forum.event.pk}/recommendations"
    theme = forum.recommendations["enrol"].theme
    cases = [
        {"theme_id": 999999, "text": "x", "language": "fr"},
        {"theme_id": theme.pk, "text": "x", "language": "xx"},
        {"theme_id": theme.pk, "text": "x", "language": "fr", "addressed_to_ids": [999999]},
        {"theme_id": theme.pk, "text": "", "language": "fr"},
    ]
    for payload in cases:
        response = forum_organizer_client.post(url, payload, content_type="application/json")
        assert response.status_code in (400, 422), (payload, response.content)
    merge_self = forum_organizer_client.post(
        f"/api/v1/recommendations/{theme.recommendations.first().pk}/merge",
        {"into_id": theme.recommendations.first().pk},
        content_type="application/json",
    )
    assert merge_self.status_code == 400


def test_staff_of_another_organisation_cannot_see_the_forum(forum, client):
    client.force_login(MembershipFactory().user)
    assert client.get(f"/api/v1/forums/{forum.event.pk}/recommendations").status_code == 404
    rec = forum.recommendations["clinic"]
    assert client.post(f"/api/v1/recommendations/{rec.pk}/adopt").status_code == 404


def test_anonymous_gets_401_on_staff_api(forum, client):
    assert client.get(f"/api/v1/forums/{forum.event.pk}/recommendations").status_code == 401


# Partner summary API ----------------------------------------------------------------------------


def test_partner_reads_the_summary_with_a_signed_token(closed_forum, partner_contact, client):
    response = client.get(
        f"/api/v1/forums/{closed_forum.event.pk}/summary",
        HTTP_X_PARTNER_TOKEN=partner_link_token(contact=partner_contact),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 1
    assert [rec["text"] for rec in body["own_recommendations"]] == [
        "Inscrire les enfants migrants sans acte de naissance",
        "Créer du soutien scolaire en darija et en français",
    ]
    assert body["institutions"][0]["is_you"] is True


def test_partner_with_a_login_reads_the_summary(closed_forum, client):
    user = UserFactory(is_staff=False)
    ContactFactory(organization=closed_forum.commune, user=user, preferred_language="en")
    client.force_login(user)
    body = client.get(f"/api/v1/forums/{closed_forum.event.pk}/summary").json()
    assert body["language"] == "en" and body["title"] == "Regional forum"


def test_partner_cannot_read_a_forum_it_is_not_linked_to(closed_forum, client):
    stranger = ContactFactory(organization=OrganizationFactory())
    response = client.get(
        f"/api/v1/forums/{closed_forum.event.pk}/summary",
        HTTP_X_PARTNER_TOKEN=partner_link_token(contact=stranger),
    )
    assert response.status_code == 404


def test_forged_or_expired_token_is_refused(closed_forum, partner_contact, client):
    url = f"/api/v1/forums/{closed_forum.event.pk}/summary"
    assert client.get(url, HTTP_X_PARTNER_TOKEN="forged").status_code == 401
    with time_machine.travel("2026-01-01 10:00Z"):
        token = partner_link_token(contact=partner_contact)
    with time_machine.travel("2026-06-01 10:00Z"):
        assert client.get(url, HTTP_X_PARTNER_TOKEN=token).status_code == 401
    assert client.get(url).status_code == 401


def test_partner_api_contains_no_personal_data(closed_forum, partner_contact, client):
    for ticket in closed_forum.tickets:
        attendance(closed_forum.session, ticket=ticket)
    summary_sent(closed_forum.event, new_version=True)
    response = client.get(
        f"/api/v1/forums/{closed_forum.event.pk}/summary",
        HTTP_X_PARTNER_TOKEN=partner_link_token(contact=partner_contact),
    )
    text = json.dumps(response.json(), ensure_ascii=False)
    # Three people of one gender, age and profile: the total would give them away.
    assert response.json()["total_attendances"] == "x"
    for value in closed_forum.personal_data:
        assert value not in text


def test_organizer_reads_the_summary_through_the_same_endpoint(closed_forum, client):
    client.force_login(MembershipFactory(organization=closed_forum.event.organizer).user)
    assert client.get(f"/api/v1/forums/{closed_forum.event.pk}/summary").status_code == 200


def test_rapporteur_membership_alone_gives_no_staff_api(forum, client):
    user = UserFactory()
    Membership.objects.create(
        user=user, organization=forum.event.organizer, role=Membership.Role.RAPPORTEUR
    )
    client.force_login(user)
    assert client.get(f"/api/v1/forums/{forum.event.pk}/recommendations").status_code == 403
    assert Recommendation.objects.count() == 4


def test_staff_lists_themes_and_assigns_a_rapporteur(forum, forum_organizer_client):
    themes = forum_organizer_client.get(f"/api/v1/forums/{forum.event.pk}/themes").json()
    assert [theme["name_fr"] for theme in themes] == ["Accès à l'éducation", "Santé"]
    workshops = forum_organizer_client.get(f"/api/v1/forums/{forum.event.pk}/workshops").json()
    user = UserFactory(is_staff=False)
    response = forum_organizer_client.post(
        f"/api/v1/forums/{forum.event.pk}/rapporteurs",
        {"user_id": user.pk, "workshop_id": workshops[0]["id"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Membership.objects.filter(user=user, role=Membership.Role.RAPPORTEUR).exists()
    unknown = forum_organizer_client.post(
        f"/api/v1/forums/{forum.event.pk}/rapporteurs",
        {"user_id": 999999},
        content_type="application/json",
    )
    assert unknown.status_code == 400
