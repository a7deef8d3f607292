"""The institutions' answers through the API: a partner lists what is addressed to their
organisation, answers, commits and updates; a partner of another organisation reaches none of
it; the organizer reads the follow-up of a forum and of a programme and the overdue list."""

import datetime

import pytest
from django.utils import timezone

from forums.models import Commitment, CommitmentUpdate, ForumSummary, Response
from forums.partners import partner_link_token
from tests.factories import ContactFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def education(closed_forum):
    return ContactFactory(organization=closed_forum.education, preferred_language="ar")


@pytest.fixture
def health(closed_forum):
    return ContactFactory(organization=closed_forum.health, preferred_language="fr")


def as_partner(contact) -> dict:
    return {"HTTP_X_PARTNER_TOKEN": partner_link_token(contact=contact)}


def put(client, url, body, headers):
    return client.put(f"{API}{url}", body, content_type="application/json", **headers)


def post(client, url, body, headers):
    return client.post(f"{API}{url}", body, content_type="application/json", **headers)


def subject_url(rec) -> str:
    return f"/partner/addressed/recommendation/{rec.pk}"


def test_partner_lists_only_what_is_addressed_to_their_organisation_in_their_language(
    client, closed_forum, education
):
    listed = client.get(f"{API}/partner/addressed", **as_partner(education))
    assert listed.status_code == 200
    recs = closed_forum.recommendations
    by_id = {item["subject_id"]: item for item in listed.json()}
    assert set(by_id) == {recs["enrol"].pk, recs["tutor"].pk}  # not the clinic (health's)
    enrol = by_id[recs["enrol"].pk]
    assert enrol["subject_kind"] == "recommendation" and enrol["response"] is None
    assert enrol["text"] == "تسجيل الأطفال المهاجرين دون عقد ازدياد"
    assert enrol["theme"] == "الولوج إلى التعليم"


def test_partner_answers_commits_and_updates_through_the_api(client, closed_forum, education):
    rec = closed_forum.recommendations["enrol"]
    headers = as_partner(education)
    answered = put(client, f"{subject_url(rec)}/response", {"position": "under_study"}, headers)
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["subject_kind"] == "recommendation" and body["subject_id"] == rec.pk
    assert body["position"] == "under_study" and body["commitments"] == []
    # A second answer replaces the first: one row per subject and organisation.
    again = put(
        client,
        f"{subject_url(rec)}/response",
        {"position": "accepted", "reasons": "Circulaire 2026"},
        headers,
    )
    assert again.json()["position"] == "accepted"
    assert Response.objects.filter(recommendation=rec).count() == 1

    added = post(
        client,
        f"{subject_url(rec)}/commitments",
        {"what": "Note aux écoles", "by_whom": "Service scolarité", "due_on": "2027-01-31"},
        headers,
    )
    assert added.status_code == 201, added.content
    commitment_id = added.json()["id"]
    assert added.json()["state"] == "planned"
    updated = post(
        client,
        f"/partner/commitments/{commitment_id}/updates",
        {"state": "done", "note": "Envoyée"},
        headers,
    )
    assert updated.status_code == 201 and updated.json()["state"] == "done"
    assert Commitment.objects.get(pk=commitment_id).state == "done"
    read = client.get(f"{API}{subject_url(rec)}/response", **headers).json()
    assert read["commitments"][0]["updates"][0]["note"] == "Envoyée"
    # A done commitment is closed: a conflict, and nothing written.
    closed = post(
        client, f"/partner/commitments/{commitment_id}/updates", {"state": "done"}, headers
    )
    assert closed.status_code == 409 and closed.json()["code"] == "commitment_done"
    assert CommitmentUpdate.objects.count() == 1


def test_partner_session_reaches_the_same_routes(client, closed_forum):
    user = UserFactory(is_staff=False)
    ContactFactory(organization=closed_forum.education, user=user)
    client.force_login(user)
    rec = closed_forum.recommendations["tutor"]
    answered = put(client, f"{subject_url(rec)}/response", {"position": "accepted"}, {})
    assert answered.status_code == 200, answered.content


@pytest.mark.parametrize(
    "body,field",
    [
        ({"position": "declined"}, "reasons"),  # declining needs reasons
        ({"position": "maybe"}, None),
        ({"reasons": "sans position"}, None),
        ("accepted", None),
    ],
)
def test_bad_answers_are_4xx_and_write_nothing(client, closed_forum, education, body, field):
    rec = closed_forum.recommendations["enrol"]
    response = put(client, f"{subject_url(rec)}/response", body, as_partner(education))
    assert response.status_code in (400, 422), response.content
    if field:
        assert field in response.json()["errors"]
    assert not Response.objects.exists()


def test_bad_commitments_are_4xx_and_write_nothing(client, closed_forum, education):
    rec = closed_forum.recommendations["enrol"]
    headers = as_partner(education)
    commitment = {"what": "Note", "by_whom": "Service", "due_on": "2027-01-31"}
    before_answer = post(client, f"{subject_url(rec)}/commitments", commitment, headers)
    assert before_answer.status_code == 409 and before_answer.json()["code"] == "no_response"
    put(client, f"{subject_url(rec)}/response", {"position": "declined", "reasons": "Non"}, headers)
    declined = post(client, f"{subject_url(rec)}/commitments", commitment, headers)
    assert declined.status_code == 409 and declined.json()["code"] == "declined"
    put(client, f"{subject_url(rec)}/response", {"position": "accepted"}, headers)
    for bad in ({**commitment, "due_on": "soon"}, {**commitment, "what": ""}, {"what": "x"}):
        assert post(client, f"{subject_url(rec)}/commitments", bad, headers).status_code == 422
    assert not Commitment.objects.exists()
    created = post(client, f"{subject_url(rec)}/commitments", commitment, headers).json()
    bad_state = post(
        client, f"/partner/commitments/{created['id']}/updates", {"state": "planned"}, headers
    )
    assert bad_state.status_code == 422 and not CommitmentUpdate.objects.exists()


def test_a_partner_of_another_organisation_reaches_nothing(client, closed_forum, education, health):
    rec = closed_forum.recommendations["enrol"]  # addressed to education and the commune
    headers = as_partner(education)
    put(client, f"{subject_url(rec)}/response", {"position": "accepted"}, headers)
    commitment = post(
        client,
        f"{subject_url(rec)}/commitments",
        {"what": "Note", "by_whom": "Service", "due_on": "2027-01-31"},
        headers,
    ).json()
    stranger = as_partner(health)
    assert client.get(f"{API}{subject_url(rec)}/response", **stranger).status_code == 404
    assert (
        put(
            client,
            f"{subject_url(rec)}/response",
            {"position": "declined", "reasons": "x"},
            stranger,
        ).status_code
        == 404
    )
    assert post(
        client,
        f"{subject_url(rec)}/commitments",
        {"what": "x", "by_whom": "y", "due_on": "2027-01-31"},
        stranger,
    ).status_code in (404, 409)
    assert (
        post(
            client, f"/partner/commitments/{commitment['id']}/updates", {"state": "done"}, stranger
        ).status_code
        == 404
    )
    assert Response.objects.get(recommendation=rec).position == "accepted"
    assert Response.objects.filter(organization=closed_forum.health).count() == 0
    assert Commitment.objects.get().state == "planned"
    # Staff are not partners, and a forged token is nobody.
    assert client.get(f"{API}/partner/addressed", HTTP_X_PARTNER_TOKEN="forged").status_code == 401
    client.force_login(MembershipFactory(organization=closed_forum.event.organizer).user)
    assert client.get(f"{API}/partner/addressed").status_code == 401


def test_organizer_reads_the_followup_of_the_forum_and_programme_and_the_overdue_list(
    client, closed_forum, education
):
    event = closed_forum.event
    recs = closed_forum.recommendations
    headers = as_partner(education)
    put(client, f"{subject_url(recs['enrol'])}/response", {"position": "accepted"}, headers)
    post(
        client,
        f"{subject_url(recs['enrol'])}/commitments",
        {"what": "Note aux écoles", "by_whom": "Service", "due_on": "2027-01-31"},
        headers,
    )
    client.force_login(MembershipFactory(organization=event.organizer).user)
    forum = client.get(f"{API}/forums/{event.pk}/followup")
    assert forum.status_code == 200, forum.content
    rows = {row["subject_id"]: row for row in forum.json()["rows"]}
    assert set(rows) == {recs["enrol"].pk, recs["clinic"].pk, recs["tutor"].pk}
    enrol = {a["organization"]: a for a in rows[recs["enrol"].pk]["addressees"]}
    assert enrol[closed_forum.education.name]["response"]["position"] == "accepted"
    assert enrol[closed_forum.education.name]["commitments"][0]["what"] == "Note aux écoles"
    assert enrol[closed_forum.commune.name]["response"] is None
    programme = client.get(f"{API}/forums/programmes/{event.programme_id}/followup").json()
    assert programme["rows"] == forum.json()["rows"]
    assert forum.json()["overdue"] == {"answers": [], "commitments": []}

    # Past the answers' delay and the commitment's date: both lists name what is late.
    ForumSummary.objects.filter(event=event).update(
        released_at=timezone.now() - datetime.timedelta(days=31)
    )
    Commitment.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    overdue = client.get(f"{API}/forums/{event.pk}/followup/overdue").json()
    by_programme = client.get(
        f"{API}/forums/programmes/{event.programme_id}/followup/overdue"
    ).json()
    late_answers = {(a["subject_id"], a["organization"]) for a in overdue["answers"]}
    assert (recs["enrol"].pk, closed_forum.commune.name) in late_answers
    assert (recs["enrol"].pk, closed_forum.education.name) not in late_answers
    assert [c["what"] for c in overdue["commitments"]] == ["Note aux écoles"]
    assert by_programme == overdue


def test_followup_of_another_organisations_forum_or_programme_is_404(client, closed_forum):
    event = closed_forum.event
    client.force_login(MembershipFactory().user)
    for url in (
        f"/forums/{event.pk}/followup",
        f"/forums/{event.pk}/followup/overdue",
        f"/forums/programmes/{event.programme_id}/followup",
        f"/forums/programmes/{event.programme_id}/followup/overdue",
    ):
        assert client.get(f"{API}{url}").status_code == 404, url


# Participants' proposals put to partners go through the same routes, named by their kind.


def test_partner_lists_and_answers_a_proposal_addressed_to_them(client, forum, forum_proposals):
    education = ContactFactory(organization=forum.education, preferred_language="fr")
    headers = as_partner(education)
    listed = client.get(f"{API}/partner/addressed", **headers).json()
    proposals = {item["subject_id"] for item in listed if item["subject_kind"] == "proposal"}
    assert proposals == {forum_proposals.garden.pk}  # the library is put to health only
    garden = forum_proposals.garden
    url = f"/partner/addressed/proposal/{garden.pk}"
    answered = put(client, f"{url}/response", {"position": "accepted"}, headers)
    assert answered.status_code == 200, answered.content
    assert answered.json()["subject_kind"] == "proposal"
    assert answered.json()["subject_id"] == garden.pk
    added = post(
        client,
        f"{url}/commitments",
        {"what": "Terrain prêté", "by_whom": "Commune", "due_on": "2027-04-30"},
        headers,
    )
    assert added.status_code == 201, added.content
    response = Response.objects.get(proposal=garden, organization=forum.education)
    assert response.recommendation is None
    assert Commitment.objects.filter(response=response).count() == 1


def test_a_proposal_put_to_another_organisation_is_a_404_and_writes_nothing(
    client, forum, forum_proposals
):
    education = ContactFactory(organization=forum.education)
    library = forum_proposals.library  # put to health, not to education
    answered = put(
        client,
        f"/partner/addressed/proposal/{library.pk}/response",
        {"position": "accepted"},
        as_partner(education),
    )
    assert answered.status_code == 404
    assert not Response.objects.filter(proposal=library).exists()


def test_the_organizer_follow_up_lists_proposals_with_their_answers(client, forum, forum_proposals):
    health = ContactFactory(organization=forum.health)
    put(
        client,
        f"/partner/addressed/proposal/{forum_proposals.library.pk}/response",
        {"position": "under_study"},
        as_partner(health),
    )
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    for url in (
        f"{API}/forums/{forum.event.pk}/followup",
        f"{API}/forums/programmes/{forum.event.programme_id}/followup",
    ):
        rows = client.get(url).json()["rows"]
        by_subject = {(row["subject_kind"], row["subject_id"]): row for row in rows}
        library = by_subject[("proposal", forum_proposals.library.pk)]
        answers = {a["organization_id"]: a["response"] for a in library["addressees"]}
        assert answers[forum.health.pk]["position"] == "under_study"
        assert ("proposal", forum_proposals.garden.pk) in by_subject
