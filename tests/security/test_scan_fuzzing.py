"""Whatever a camera, a keyboard or an attacker sends to the door, the answer is a typed result
(a known status and a message) or a 4xx — never a crash, never an admission."""

import datetime
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance.models import Attendance, ScanStatus
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_create
from tests.factories import SessionFactory, TicketFactory

pytestmark = pytest.mark.django_db

HOSTILE_FRAGMENTS = st.sampled_from(
    [
        "' OR 1=1 --",
        "'; DROP TABLE events_ticket; --",
        '"><script>alert(1)</script>',
        "<img src=x onerror=alert(1)>",
        "../../etc/passwd",
        "%00",
        "\x00",
        "\u202e\u200f",
        "https://evil.example/tickets/abc/",
        "/tickets//",
        "ＡＢＣ-１２３",
        "٠١٢٣٤٥٦٧",
        "{{ settings.SECRET_KEY }}",
        "${jndi:ldap://x}",
    ]
)
SCANNED_TEXT = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda raw: raw.decode("latin-1")),
    st.text(min_size=500, max_size=5000),
    st.lists(st.one_of(HOSTILE_FRAGMENTS, st.text(max_size=10)), max_size=6).map("".join),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def door(time_machine):
    session = SessionFactory()
    time_machine.move_to(
        datetime.datetime.combine(session.date, datetime.time(10, 30)).astimezone(), tick=False
    )
    ticket = TicketFactory(attendee__registration__event=session.event)
    issued = door_token_create(label="Fuzz", events=[session.event], created_by=None)
    return session, ticket, issued


@FUZZ
@given(text=SCANNED_TEXT)
def test_scan_service_answers_any_text_with_a_typed_result(door, text):
    session, ticket, issued = door

    answer = checkin_scan(token=issued.door_token, text=text, session=session, nonce=uuid.uuid4())

    assert answer["status"] in ScanStatus.values
    assert isinstance(answer["message"], str)
    if text.strip() != ticket.secret:
        assert answer["status"] != ScanStatus.ADMITTED


@FUZZ
@given(text=SCANNED_TEXT, gate=st.text(max_size=80))
def test_scan_api_answers_any_text_with_a_typed_result_or_4xx(client, door, settings, text, gate):
    session, ticket, issued = door
    settings.DOOR_TOKEN_RATE_LIMIT = (1_000_000, 60)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_token}"}

    response = client.post(
        "/api/v1/checkin/scan",
        {"text": text, "session_id": session.pk, "gate": gate, "nonce": str(uuid.uuid4())},
        content_type="application/json",
        **bearer,
    )
    lookup = client.get(
        "/api/v1/checkin/lookup", {"session_id": session.pk, "q": text[:50]}, **bearer
    )

    assert lookup.status_code in (200, 400, 422)
    if response.status_code == 200:
        assert response.json()["status"] in ScanStatus.values
    else:
        assert response.status_code in (400, 422)
        assert response.json()["detail"]
    if text.strip() != ticket.secret:
        assert not Attendance.objects.exclude(ticket=None).exists()


@FUZZ
@given(body=st.binary(max_size=300))
def test_scan_api_rejects_any_raw_body_without_crashing(client, door, settings, body):
    _session, _ticket, issued = door
    settings.DOOR_TOKEN_RATE_LIMIT = (1_000_000, 60)

    response = client.generic(
        "POST",
        "/api/v1/checkin/scan",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert response.status_code in (400, 422)


@FUZZ
@given(token=st.text(max_size=300))
def test_any_bearer_token_is_a_clean_401(client, token):
    response = client.get("/api/v1/checkin/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401


@pytest.mark.parametrize(
    "path",
    ["/tickets/abc%00def/", "/registrations/x%00/", "/events/?q=%00", "/api/v1/checkin/me?x=%00"],
)
def test_nul_characters_in_urls_are_a_400(client, path):
    assert client.get(path).status_code == 400


def test_nul_characters_in_json_bodies_are_a_400(organizer_client):
    response = organizer_client.post(
        "/api/v1/organizations",
        '{"name": "A\\u0000B", "kind": "ngo"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
