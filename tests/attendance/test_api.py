import datetime
import uuid

import pytest
from django.utils import timezone

from attendance.models import Attendance, ScanAttempt
from attendance.services.tokens import door_token_create, door_token_revoke
from tests.factories import DoorSettingsFactory, EventFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def api(client, issued):
    def call(method, path, payload=None, token=issued.raw_token, **headers):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
        if method == "get":
            return client.get(f"/api/v1/checkin/{path}", payload or {}, **kwargs)
        return client.post(
            f"/api/v1/checkin/{path}", payload or {}, content_type="application/json", **kwargs
        )

    return call


def scan_body(session, text, **extra):
    return {
        "text": text,
        "session_id": session.pk,
        "gate": "A",
        "nonce": str(uuid.uuid4()),
        **extra,
    }


def test_scan_admits_and_returns_typed_result(api, session, ticket):
    response = api("post", "scan", scan_body(session, ticket.secret))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "admitted"
    assert body["attendee"]["first_name"] == "Aminata"
    assert "phone" not in str(body) and ticket.attendee.registration.phone not in str(body)


def test_scan_without_token_is_401(client, session, ticket):
    response = client.post(
        "/api/v1/checkin/scan", scan_body(session, ticket.secret), content_type="application/json"
    )

    assert response.status_code == 401
    assert not ScanAttempt.objects.exists()


def test_revoked_token_is_401(api, issued, session, ticket):
    door_token_revoke(door_token=issued.door_token, revoked_by=None)

    assert api("post", "scan", scan_body(session, ticket.secret)).status_code == 401


def test_expired_token_is_401(api, issued, session, ticket, door_open):
    issued.door_token.expires_at = timezone.now() + datetime.timedelta(hours=1)
    issued.door_token.save()
    door_open.shift(datetime.timedelta(hours=2))

    assert api("post", "scan", scan_body(session, ticket.secret)).status_code == 401


def test_token_is_stored_only_as_a_hash(issued):
    token = issued.door_token
    assert issued.raw_token not in (token.token_hash, token.label)
    assert issued.raw_token.startswith(token.token_prefix) and len(token.token_prefix) == 6


def test_event_a_token_gets_not_allowed_for_event_b(api, session):
    other = SessionFactory(event=EventFactory())
    ticket_b = TicketFactory(attendee__registration__event=other.event)

    body = api("post", "scan", scan_body(other, ticket_b.secret)).json()

    assert body["status"] == "not_allowed"
    assert not Attendance.objects.exists()


def test_event_a_token_cannot_read_counts_or_lookup_of_event_b(api):
    other = SessionFactory(event=EventFactory())

    assert api("get", f"sessions/{other.pk}/counts").status_code == 404
    assert api("get", "lookup", {"session_id": other.pk, "q": "Am"}).status_code == 404


def test_unknown_session_is_404(api):
    assert api("post", "scan", scan_body(type("S", (), {"pk": 999999})(), "x")).status_code == 404


def test_malformed_body_is_422_not_500(api, session):
    response = api("post", "scan", {"text": "x", "session_id": session.pk, "nonce": "not-a-uuid"})

    assert response.status_code == 422


def test_message_in_accept_language(api, session):
    body = api("post", "scan", scan_body(session, "nope"), HTTP_ACCEPT_LANGUAGE="ar").json()

    assert body["status"] == "unknown_ticket"
    assert "تذكرة" in body["message"]


def test_token_language_wins_over_accept_language(client, session):
    issued = door_token_create(label="V", events=[session.event], created_by=None, language="en")

    body = client.post(
        "/api/v1/checkin/scan",
        scan_body(session, "nope"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
        HTTP_ACCEPT_LANGUAGE="ar",
    ).json()

    assert body["message"].startswith("Unknown ticket")


def test_me_lists_the_sessions_of_assigned_events_only(api, session):
    SessionFactory(event=EventFactory())

    body = api("get", "me").json()

    assert body["label"] == "Fatima (gate A)"
    assert [s["id"] for s in body["sessions"]] == [session.pk]


def test_lookup_by_first_name_and_short_code_prefix_returns_minimal_fields(api, session, ticket):
    by_name = api("get", "lookup", {"session_id": session.pk, "q": "amin"}).json()
    by_code = api("get", "lookup", {"session_id": session.pk, "q": ticket.short_code[:4]}).json()

    assert by_name == by_code
    assert by_name == [
        {
            "short_code": ticket.short_code,
            "first_name": "Aminata",
            "gender": "female",
            "gender_label": by_name[0]["gender_label"],
            "age_band": "25-59",
            "group_size": 1,
            "admitted": False,
        }
    ]


def test_admit_from_lookup_records_source_lookup(api, session, ticket):
    body = api("post", "scan", scan_body(session, ticket.short_code, from_lookup=True)).json()

    assert body["status"] == "admitted"
    assert Attendance.objects.get().source == Attendance.Source.LOOKUP
    assert api("get", "lookup", {"session_id": session.pk, "q": "Amin"}).json()[0]["admitted"]


def test_walk_in_group_with_breakdown_counts_per_gender(api, session):
    body = api(
        "post",
        "walk-in",
        {
            "session_id": session.pk,
            "gate": "A",
            "nonce": str(uuid.uuid4()),
            "groups": [
                {"gender": "female", "age_band": "25-59", "profile": "migrant", "count": 2},
                {"gender": "male", "age_band": "5-11", "profile": "migrant", "count": 3},
            ],
        },
    ).json()

    assert body == {"status": "recorded", "message": body["message"], "headcount": 5}
    rows = Attendance.objects.filter(source=Attendance.Source.WALK_IN)
    assert sorted(rows.values_list("gender", "headcount")) == [("female", 2), ("male", 3)]
    counts = api("get", f"sessions/{session.pk}/counts").json()
    assert counts["by_gender"]["female"] == 2 and counts["by_gender"]["male"] == 3
    assert counts["total"] == counts["walk_ins"] == 5


def _walk_in(session_id: int, *, gender: str, **fields) -> dict:
    """A one-person walk-in tap: a fresh nonce, an adult of the given gender."""
    return {
        "session_id": session_id,
        "nonce": str(uuid.uuid4()),
        "gender": gender,
        "age_band": "18-24",
        **fields,
    }


def test_walk_in_single_tap_and_nonce_retry_counts_once(api, session):
    payload = _walk_in(session.pk, gender="female", profile="refugee")

    first = api("post", "walk-in", payload).json()
    again = api("post", "walk-in", payload).json()

    assert first == again and first["headcount"] == 1
    assert Attendance.objects.count() == 1


def test_walk_in_with_unknown_gender_is_400_and_writes_nothing(api, session):
    response = api("post", "walk-in", _walk_in(session.pk, gender="robot"))

    assert response.status_code == 400
    assert not Attendance.objects.exists() and not ScanAttempt.objects.exists()


def test_walk_in_for_another_event_is_not_allowed(api):
    other = SessionFactory(event=EventFactory())

    body = api("post", "walk-in", _walk_in(other.pk, gender="male")).json()

    assert body["status"] == "not_allowed" and not Attendance.objects.exists()


def test_class_tally_records_one_row_per_cell(api, session):
    body = api(
        "post",
        "class-tally",
        {
            "session_id": session.pk,
            "nonce": str(uuid.uuid4()),
            "profile": "host",
            "groups": [
                {"gender": "female", "age_band": "12-17", "count": 14},
                {"gender": "male", "age_band": "12-17", "count": 12},
                {"gender": "other", "age_band": "12-17", "count": 0},
            ],
        },
    ).json()

    assert body["headcount"] == 26
    rows = Attendance.objects.filter(source=Attendance.Source.CLASS_TALLY)
    assert sorted(rows.values_list("gender", "headcount", "profile")) == [
        ("female", 14, "host"),
        ("male", 12, "host"),
    ]


def test_failed_scans_do_not_count(api, session, ticket):
    api("post", "scan", scan_body(session, "garbage"))
    api("post", "scan", scan_body(session, ticket.secret))
    api("post", "scan", scan_body(session, ticket.secret))

    assert api("get", f"sessions/{session.pk}/counts").json()["total"] == 1
    assert ScanAttempt.objects.count() == 3


def test_exit_scans_through_the_api_update_inside_now(api, session, ticket):
    DoorSettingsFactory(event=session.event, exit_scans_enabled=True)
    api("post", "scan", scan_body(session, ticket.secret))

    body = api("post", "scan", scan_body(session, ticket.secret, direction="exit")).json()

    assert body["status"] == "exited"
    counts = api("get", f"sessions/{session.pk}/counts").json()
    assert counts["inside_now"] == 0 and counts["total"] == 1
    assert api("get", "me").json()["sessions"][0]["exit_scans_enabled"] is True


def test_exit_scan_where_exits_are_off_is_400(api, session, ticket):
    response = api("post", "scan", scan_body(session, ticket.secret, direction="exit"))

    assert response.status_code == 400
    assert response.json()["code"] == "exit_scans_disabled"


def test_scan_api_is_rate_limited_per_token(api, client, session, ticket, settings):
    settings.DOOR_TOKEN_RATE_LIMIT = (3, 60)
    other = door_token_create(label="Other gate", events=[session.event], created_by=None)

    answers = [api("get", "me").status_code for _ in range(3)]
    refused = api("post", "scan", scan_body(session, ticket.secret), HTTP_ACCEPT_LANGUAGE="en")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "Too many requests" in refused.json()["detail"]
    assert not Attendance.objects.exists()
    assert api("get", "me", token=other.raw_token).status_code == 200
