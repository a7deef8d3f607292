"""GET /api/v1/programmes/{id}/figures and /api/v1/events/{id}/figures."""

import pytest

from tests.factories import MembershipFactory


@pytest.fixture
def staff_client(client, ground_truth):
    client.force_login(ground_truth.organizer)
    return client


def test_programme_figures_with_groupings(staff_client, ground_truth):
    response = staff_client.get(
        f"/api/v1/programmes/{ground_truth.programme.pk}/figures?by=event&by=month"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["people_reached"] == 29
    assert body["totals"]["attendances"] == 30
    women = next(
        s
        for s in body["totals"]["breakdowns"]["people_reached"]["by_dimension"]["gender"]
        if s["value"] == "female"
    )
    assert (women["count"], women["base"], women["percent"]) == (14, 29, 48.3)
    assert [g["label"] for g in body["groups"]["event"]] == ["Meeting", "Campaign"]
    assert len(body["groups"]["month"]) == 2
    assert len(body["targets"]) == 5
    assert body["notes"]


def test_programme_figures_filtered_by_period_and_kind(staff_client, ground_truth):
    url = f"/api/v1/programmes/{ground_truth.programme.pk}/figures"
    assert (
        staff_client.get(url, {"date_from": "2026-11-01"}).json()["totals"]["people_reached"] == 26
    )
    body = staff_client.get(url, {"kind": "school_campaign"}).json()
    assert body["totals"]["people_reached"] == 23
    assert body["filters"]["kind"] == "school_campaign"


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-12-01", "date_to": "2026-11-01"},
        {"date_from": "yesterday"},
        {"kind": "party"},
        {"by": "planet"},
    ],
)
def test_bad_filters_are_a_4xx(staff_client, ground_truth, query):
    response = staff_client.get(f"/api/v1/programmes/{ground_truth.programme.pk}/figures", query)
    assert response.status_code in (400, 422)


def test_event_figures_per_session(staff_client, ground_truth):
    body = staff_client.get(f"/api/v1/events/{ground_truth.meeting.pk}/figures").json()
    assert (body["totals"]["attendances"], body["totals"]["people_reached"]) == (7, 6)
    assert [g["figures"]["people_reached"] for g in body["groups"]["session"]] == [4, 3]


def test_empty_event_figures(staff_client, ground_truth):
    body = staff_client.get(f"/api/v1/events/{ground_truth.empty.pk}/figures").json()
    assert body["totals"]["people_reached"] == 0
    assert body["groups"]["session"] == []


def test_anonymous_gets_401(client, ground_truth):
    assert client.get(f"/api/v1/programmes/{ground_truth.programme.pk}/figures").status_code == 401
    assert client.get(f"/api/v1/events/{ground_truth.meeting.pk}/figures").status_code == 401


def test_organizer_of_another_ngo_gets_404(client, ground_truth):
    client.force_login(MembershipFactory().user)
    assert client.get(f"/api/v1/programmes/{ground_truth.programme.pk}/figures").status_code == 404
    assert client.get(f"/api/v1/events/{ground_truth.meeting.pk}/figures").status_code == 404
