"""The offline pack: enough to validate tickets at the door, nothing personal beyond the scan
result, secrets only as hashes, scoped to the token's events."""

import json

import pytest

from attendance.services.sync import short_code_hash, ticket_secret_hash
from events.models import Ticket
from tests.factories import AttendeeFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def download(client, issued):
    def call(event_id, token=issued.raw_token):
        return client.get(
            "/api/v1/checkin/offline-pack",
            {"event_id": event_id},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    return call


def pack_rows(pack):
    return [dict(zip(pack["fields"], row, strict=True)) for row in pack["tickets"]]


def test_pack_lists_the_events_tickets_by_hash_with_door_fields(download, session, ticket):
    AttendeeFactory(registration=ticket.attendee.registration, is_contact=False)

    response = download(session.event_id)

    assert response.status_code == 200
    pack = response.json()
    [row] = pack_rows(pack)
    assert row["id"] == ticket.pk
    assert row["secret_hash"] == ticket_secret_hash(ticket.secret)
    assert row["code_hash"] == short_code_hash(ticket.short_code)
    assert (row["first_name"], row["gender"], row["group_size"]) == ("Aminata", "female", 2)
    assert row["status"] == "valid" and row["sessions"] == []
    assert [s["id"] for s in pack["sessions"]] == [session.pk]
    assert pack["version"] and pack["generated_at"]


def test_pack_holds_no_phone_email_or_secret(download, session, ticket):
    registration = ticket.attendee.registration
    registration.email = "aminata@example.org"
    registration.save()

    body = download(session.event_id).content.decode()

    assert registration.phone not in body
    assert "aminata@example.org" not in body
    assert ticket.secret not in body
    assert ticket.short_code not in body
    assert registration.access_token not in body


def test_pack_is_compact_json(download, session, ticket):
    body = download(session.event_id).content.decode()

    assert ", " not in body.replace(ticket.attendee.first_name, "")
    assert json.loads(body)["event_id"] == session.event_id


def test_pack_carries_cancelled_status_restrictions_and_admissions(download, session, ticket):
    cancelled = TicketFactory(
        attendee__registration__event=session.event, status=Ticket.Status.CANCELLED
    )
    restricted = TicketFactory(attendee__registration__event=session.event)
    restricted.sessions.add(session)
    from attendance.models import Attendance

    Attendance.objects.create(
        event=session.event,
        session=session,
        ticket=ticket,
        source="scan",
        gender="female",
        age_band="25-59",
        profile="migrant",
        recorded_at=ticket.issued_at,
    )

    pack = download(session.event_id).json()

    rows = {row["id"]: row for row in pack_rows(pack)}
    assert rows[cancelled.pk]["status"] == "cancelled"
    assert rows[restricted.pk]["sessions"] == [session.pk]
    assert pack["admitted"] == {str(session.pk): [ticket.pk]}


def test_version_changes_when_a_ticket_changes(download, session, ticket):
    before = download(session.event_id).json()["version"]
    TicketFactory(attendee__registration__event=session.event)

    assert download(session.event_id).json()["version"] != before


def test_pack_of_another_event_is_404(download):
    other = SessionFactory()
    TicketFactory(attendee__registration__event=other.event)

    assert download(other.event_id).status_code == 404


def test_pack_needs_a_door_token(client, session):
    response = client.get("/api/v1/checkin/offline-pack", {"event_id": session.event_id})

    assert response.status_code == 401
