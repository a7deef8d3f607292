import datetime

import pytest

from events.models import Event, EventStatus
from tests.factories import (
    TODAY,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(organizer):
    return ProgrammeFactory(lead_organization=organizer.memberships.get().organization)


def _event_payload(programme, venue, **overrides):
    payload = {
        "programme_id": programme.pk,
        "kind": "african_fair",
        "title": "Foire africaine",
        "organizer_id": programme.lead_organization_id,
        "start_date": TODAY.isoformat(),
        "end_date": (TODAY + datetime.timedelta(days=2)).isoformat(),
        "capacity": 800,
        "sessions": [
            {
                "date": TODAY.isoformat(),
                "start_time": "10:00",
                "end_time": "18:00",
                "venue_id": venue.pk,
            }
        ],
    }
    payload.update(overrides)
    return payload


def test_anonymous_callers_get_401(client):
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_logged_in_user_without_a_role_gets_403(client):
    client.force_login(UserFactory())
    assert client.get("/api/v1/events").status_code == 403


def test_organizer_creates_an_event_with_sessions(organizer_client, programme):
    response = organizer_client.post(
        "/api/v1/events", _event_payload(programme, VenueFactory()), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert len(body["sessions"]) == 1
    assert Event.objects.get(pk=body["id"]).sessions.count() == 1


def test_bad_event_input_is_a_400_with_field_messages_and_nothing_is_written(
    organizer_client, programme
):
    payload = _event_payload(
        programme,
        VenueFactory(),
        sessions=[
            {
                "date": (TODAY + datetime.timedelta(days=30)).isoformat(),
                "start_time": "10:00",
                "end_time": "18:00",
                "venue_id": VenueFactory().pk,
            }
        ],
    )
    response = organizer_client.post("/api/v1/events", payload, content_type="application/json")
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not Event.objects.exists()


def test_schema_violations_are_422_with_field_locations(organizer_client, programme):
    response = organizer_client.post(
        "/api/v1/events", {"title": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_unknown_venue_is_a_400_on_that_field(organizer_client, programme):
    payload = _event_payload(programme, VenueFactory())
    payload["sessions"][0]["venue_id"] = 999999
    response = organizer_client.post("/api/v1/events", payload, content_type="application/json")
    assert response.status_code == 400
    assert "venue_id" in response.json()["errors"]


def test_organizer_cannot_see_or_change_another_ngos_event(organizer_client):
    foreign = EventFactory()
    assert organizer_client.get(f"/api/v1/events/{foreign.pk}").status_code == 404
    response = organizer_client.patch(
        f"/api/v1/events/{foreign.pk}", {"title": "Hijacked"}, content_type="application/json"
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "Hijacked"


def test_organizer_cannot_create_events_in_another_ngos_programme(organizer_client):
    foreign_programme = ProgrammeFactory()
    payload = _event_payload(foreign_programme, VenueFactory())
    response = organizer_client.post("/api/v1/events", payload, content_type="application/json")
    assert response.status_code == 404


def test_list_filters_by_kind_and_status(organizer_client, programme):
    EventFactory(programme=programme, kind="forum", status=EventStatus.DRAFT)
    EventFactory(programme=programme, kind="african_fair")
    EventFactory(kind="forum")  # another NGO: never listed
    response = organizer_client.get("/api/v1/events?kind=forum")
    assert [item["kind"] for item in response.json()["items"]] == ["forum"]
    response = organizer_client.get("/api/v1/events?status=published")
    assert response.json()["count"] == 1


def test_status_transition_through_the_api(organizer_client, programme):
    event = SessionFactory(event__programme=programme, event__status=EventStatus.DRAFT).event
    url = f"/api/v1/events/{event.pk}/status"
    response = organizer_client.post(url, {"status": "published"}, content_type="application/json")
    assert response.json()["status"] == "published"
    organizer_client.post(url, {"status": "closed"}, content_type="application/json")
    response = organizer_client.post(url, {"status": "published"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_programme_with_targets_round_trip(organizer_client, organizer):
    lead = organizer.memberships.get().organization
    payload = {
        "code": "vivre-ensemble",
        "name": "Vivre ensemble",
        "lead_organization_id": lead.pk,
        "start_date": "2026-01-01",
        "end_date": "2027-06-30",
        "targets": [
            {
                "measure": "children_reached",
                "value": 30,
                "share_field": "gender",
                "share_value": "female",
                "share_min_percent": "35",
            }
        ],
    }
    response = organizer_client.post("/api/v1/programmes", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    programme_id = response.json()["id"]
    response = organizer_client.get(f"/api/v1/programmes/{programme_id}")
    target = response.json()["targets"][0]
    assert (target["measure"], target["value"], target["share_value"]) == (
        "children_reached",
        30,
        "female",
    )


def post_share_target(client, programme, *, share_value, share_min_percent):
    """A target of 800 people reached with a minimum share of one gender value."""
    return client.post(
        f"/api/v1/programmes/{programme.pk}/targets",
        {
            "measure": "people_reached",
            "value": 800,
            "share_field": "gender",
            "share_value": share_value,
            "share_min_percent": share_min_percent,
        },
        content_type="application/json",
    )


def test_target_share_above_100_is_a_4xx(organizer_client, programme):
    response = post_share_target(
        organizer_client, programme, share_value="female", share_min_percent="150"
    )
    assert response.status_code == 422


def test_target_with_a_value_outside_its_dimension_is_a_400(organizer_client, programme):
    response = post_share_target(
        organizer_client, programme, share_value="girls", share_min_percent="35"
    )
    assert response.status_code == 400
    assert "share_value" in response.json()["errors"]


def test_only_administrators_change_organisations(organizer_client, admin_user, client):
    org = OrganizationFactory()
    url = f"/api/v1/organizations/{org.pk}"
    assert (
        organizer_client.patch(
            url, {"city": "Berkane"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(admin_user)
    response = client.patch(url, {"city": "Berkane"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["city"] == "Berkane"


def test_session_with_attendance_cannot_be_deleted(organizer_client, programme):
    from django.utils import timezone

    from attendance.models import Attendance

    session = SessionFactory(event__programme=programme)
    Attendance.objects.create(
        event=session.event,
        session=session,
        source="walk_in",
        gender="female",
        age_band="25-59",
        profile="migrant",
        recorded_at=timezone.now(),
    )
    response = organizer_client.delete(f"/api/v1/sessions/{session.pk}")
    assert response.status_code == 409


def test_other_organizers_cannot_touch_my_sessions(client, programme):
    session = SessionFactory(event__programme=programme)
    client.force_login(MembershipFactory().user)
    assert client.delete(f"/api/v1/sessions/{session.pk}").status_code == 404


def test_openapi_docs_are_served(organizer_client):
    assert organizer_client.get("/api/v1/openapi.json").status_code == 200
    assert organizer_client.get("/api/v1/docs").status_code == 200
