"""The participants API: the queue, merge, undo, different people and a participant's detail;
organizers of the organisation only, and never a name or a phone."""

import pytest

from participants.models import Participant, ParticipantMerge
from tests.factories import DuplicateCandidateFactory
from tests.participants.test_pages import typo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def test_the_queue_lists_open_candidates_by_score_without_names(client, organizer, organization):
    low = DuplicateCandidateFactory(organization=organization, score=60)
    high = DuplicateCandidateFactory(organization=organization, score=100)
    DuplicateCandidateFactory(score=100)  # another organisation's
    response = client.get(f"{API}/participants/duplicates")
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [high.pk, low.pk]
    assert set(body["items"][0]["first"]) == {
        "id",
        "gender",
        "age_band",
        "profile",
        "merged_into_id",
    }


def test_merge_then_undo_through_the_api(client, organizer, typo):  # noqa: F811
    response = post(
        client, f"/participants/duplicates/{typo.pk}/merge", {"keep_id": typo.second_id}
    )
    assert response.status_code == 200, response.content
    merge = response.json()
    assert (merge["kept_id"], merge["merged_id"]) == (typo.second_id, typo.first_id)
    assert Participant.objects.get(pk=typo.first_id).merged_into_id == typo.second_id

    detail = client.get(f"{API}/participants/{typo.first_id}").json()
    assert detail["canonical_id"] == typo.second_id
    assert detail["events_registered"] == 2 and detail["links"] == 2
    assert "Aminata" not in str(detail) and "0612345678" not in str(detail)

    again = post(client, f"/participants/duplicates/{typo.pk}/merge", {"keep_id": typo.first_id})
    assert again.status_code == 409

    undone = post(client, f"/participant-merges/{merge['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert post(client, f"/participant-merges/{merge['id']}/undo").status_code == 409
    assert Participant.objects.get(pk=typo.first_id).merged_into_id is None


@pytest.mark.parametrize("body", [{"keep_id": "1"}, {"keep_id": 999999}, {}, []])
def test_bad_merge_bodies_are_4xx(client, organizer, organization, body):
    candidate = DuplicateCandidateFactory(organization=organization)
    response = post(client, f"/participants/duplicates/{candidate.pk}/merge", body)
    assert response.status_code in (400, 422)
    assert not ParticipantMerge.objects.exists()


def test_mark_distinct(client, organizer, organization):
    candidate = DuplicateCandidateFactory(organization=organization)
    response = post(client, f"/participants/duplicates/{candidate.pk}/distinct")
    assert response.status_code == 200 and response.json()["status"] == "distinct"
    assert post(client, f"/participants/duplicates/{candidate.pk}/distinct").status_code == 409


def test_another_organisations_rows_are_404(client, organizer):
    other = DuplicateCandidateFactory()
    for response in (
        post(client, f"/participants/duplicates/{other.pk}/merge", {"keep_id": other.first_id}),
        post(client, f"/participants/duplicates/{other.pk}/distinct"),
        client.get(f"{API}/participants/{other.first_id}"),
    ):
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "open"
