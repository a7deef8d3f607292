"""Uploading an offline scanner's queue: idempotent by nonce, one attendance per ticket and
session with conflicts recorded, tickets changed after the pack caught, token scope enforced,
malformed or oversized batches refused whole."""

import datetime
import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, SyncConflict
from attendance.offline_format import HASH_BYTES
from attendance.services.offline_keys import (
    offline_pack_key,
    offline_pack_key_rotate,
    secret_hash,
)
from attendance.services.sync import MAX_SYNC_ITEMS, legacy_secret_hash
from attendance.services.tokens import door_token_create
from events.services.tickets import ticket_cancel, ticket_reissue
from tests.attendance.conftest import DOOR_OPEN
from tests.factories import SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]

DEVICE_TIME = DOOR_OPEN - datetime.timedelta(minutes=10)


def pack_hash(ticket):
    return secret_hash(secret=ticket.secret, salt=offline_pack_key(event=ticket.event).salt)


def offline_item(kind: str, session, **fields) -> dict:
    """One item of an offline scanner's queue: its own nonce, queued by phone-1 ten minutes
    before the upload."""
    return {
        "type": kind,
        "nonce": str(uuid.uuid4()),
        "session_id": session.pk,
        "device_time": DEVICE_TIME.isoformat(),
        "device_id": "phone-1",
        **fields,
    }


def offline_scan(session, ticket, **extra):
    # As the device's pack names the ticket: salted with the event's pack generation.
    fields = {"gate": "B", "ticket_id": ticket.pk, "ticket_hash": pack_hash(ticket)}
    return offline_item("scan", session, **{**fields, **extra})


def offline_walk_in(session, **extra):
    groups = [{"gender": "female", "age_band": "25-59", "profile": "migrant", "count": 2}]
    return offline_item("walk_in", session, **{"groups": groups, **extra})


def test_offline_admission_is_recorded_at_device_time_with_offline_source(sync, session, ticket):
    response = sync([offline_scan(session, ticket)])

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "admitted" and result["conflict"] is None
    attendance = Attendance.objects.get(ticket=ticket, session=session)
    assert attendance.source == Attendance.Source.OFFLINE
    assert attendance.recorded_at == DEVICE_TIME
    assert attendance.gate == "B"


def test_device_clock_ahead_of_the_server_records_at_server_time(sync, session, ticket):
    ahead = DOOR_OPEN + datetime.timedelta(minutes=20)

    sync([offline_scan(session, ticket, device_time=ahead.isoformat())])

    assert Attendance.objects.get(ticket=ticket).recorded_at == DOOR_OPEN


def test_hash_salted_by_an_earlier_pack_generation_still_identifies_the_ticket(
    sync, session, ticket
):
    item = offline_scan(session, ticket)  # the device downloaded its pack before the rotation
    offline_pack_key_rotate(event=session.event)

    assert sync([item]).json()["results"][0]["status"] == "admitted"


def test_unsalted_hash_of_a_pack_from_before_salting_still_identifies_the_ticket(
    sync, session, ticket
):
    item = offline_scan(session, ticket, ticket_hash=legacy_secret_hash(ticket.secret))

    assert sync([item]).json()["results"][0]["status"] == "admitted"


def test_hash_salted_for_another_event_does_not_identify_the_ticket(sync, session, ticket):
    other_salt = offline_pack_key(event=SessionFactory().event).salt
    item = offline_scan(
        session, ticket, ticket_hash=secret_hash(secret=ticket.secret, salt=other_salt)
    )

    assert sync([item]).json()["results"][0]["conflict"] == "reissued"
    assert not Attendance.objects.exists()


def test_hash_cut_as_the_pack_holds_it_identifies_the_ticket(sync, session, ticket):
    # A ticket found by its short code is named by the cut secret hash of the pack's columns.
    item = offline_scan(session, ticket, ticket_hash=pack_hash(ticket)[: 2 * HASH_BYTES])

    assert sync([item]).json()["results"][0]["status"] == "admitted"


def test_hash_cut_shorter_than_the_pack_cuts_it_does_not_identify_the_ticket(sync, session, ticket):
    item = offline_scan(session, ticket, ticket_hash=pack_hash(ticket)[:8])

    assert sync([item]).json()["results"][0]["conflict"] == "reissued"
    assert not Attendance.objects.exists()


def test_walk_ins_synced_count_as_walk_ins_at_device_time(sync, session):
    response = sync([offline_walk_in(session)])

    assert response.json()["results"][0]["status"] == "recorded"
    row = Attendance.objects.get(session=session)
    assert (row.source, row.headcount, row.recorded_at) == ("walk_in", 2, DEVICE_TIME)


def test_same_batch_twice_records_nothing_twice(sync, session, ticket):
    batch = [offline_scan(session, ticket), offline_walk_in(session)]

    first = sync(batch).json()
    second = sync(batch).json()

    assert first == second
    assert Attendance.objects.filter(session=session).count() == 2
    assert ScanAttempt.objects.count() == 2
    assert not SyncConflict.objects.exists()


def test_partly_uploaded_batch_then_full_batch_records_each_item_once(sync, session):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(3)]
    batch = [offline_scan(session, ticket) for ticket in tickets] + [offline_walk_in(session)]

    sync(batch[:2])
    results = sync(batch).json()["results"]

    assert [r["status"] for r in results] == ["admitted", "admitted", "admitted", "recorded"]
    assert Attendance.objects.filter(session=session, ticket__isnull=False).count() == 3
    assert Attendance.objects.filter(session=session, source="walk_in").count() == 1
    assert ScanAttempt.objects.count() == 4


def test_same_ticket_admitted_offline_on_two_devices_gives_one_attendance_and_one_conflict(
    sync, session, ticket, issued
):
    second_device = door_token_create(
        label="Youssef (gate C)", events=[session.event], created_by=None
    )

    first = sync([offline_scan(session, ticket, device_id="phone-1")]).json()["results"][0]
    second = sync(
        [offline_scan(session, ticket, device_id="phone-2", gate="C")],
        token=second_device.raw_token,
    ).json()["results"][0]

    assert first["status"] == "admitted"
    assert second["status"] == "already_admitted"
    assert second["conflict"] == "double_admission"
    assert Attendance.objects.filter(ticket=ticket, voided_at__isnull=True).count() == 1
    conflict = SyncConflict.objects.get()
    assert conflict.kind == SyncConflict.Kind.DOUBLE_ADMISSION
    assert conflict.token == second_device.door_token
    assert conflict.kept_attendance.door_token == issued.door_token
    assert conflict.device_id == "phone-2"


def test_replaying_a_conflicting_item_records_one_conflict(sync, session, ticket, api_scan):
    api_scan(session, ticket)  # admitted online first
    item = offline_scan(session, ticket)

    sync([item])
    sync([item])

    assert SyncConflict.objects.count() == 1
    assert Attendance.objects.filter(ticket=ticket).count() == 1


def test_ticket_cancelled_after_the_pack_is_a_conflict_not_an_attendance(sync, session, ticket):
    item = offline_scan(session, ticket)  # the device saw it valid
    ticket_cancel(ticket=ticket)

    result = sync([item]).json()["results"][0]

    assert result["status"] == "cancelled" and result["conflict"] == "cancelled"
    assert not Attendance.objects.exists()
    assert SyncConflict.objects.get().kind == SyncConflict.Kind.CANCELLED


def test_ticket_reissued_after_the_pack_is_a_conflict_not_an_attendance(sync, session, ticket):
    item = offline_scan(session, ticket)  # hash of the old secret
    ticket_reissue(ticket=ticket)

    result = sync([item]).json()["results"][0]

    assert result["conflict"] == "reissued"
    assert not Attendance.objects.exists()
    assert SyncConflict.objects.get().kind == SyncConflict.Kind.REISSUED


def test_item_for_another_events_session_is_refused_and_admits_nobody(sync, session):
    other_session = SessionFactory()
    other_ticket = TicketFactory(attendee__registration__event=other_session.event)

    result = sync([offline_scan(other_session, other_ticket)]).json()["results"][0]

    assert result["status"] == "not_allowed"
    assert not Attendance.objects.exists()


def test_walk_in_for_another_events_session_counts_nobody(sync):
    result = sync([offline_walk_in(SessionFactory())]).json()["results"][0]

    assert result["status"] == "not_allowed"
    assert not Attendance.objects.exists()


def test_ticket_of_another_event_is_refused(sync, session):
    foreign = TicketFactory()

    result = sync([offline_scan(session, foreign)]).json()["results"][0]

    assert result["status"] == "wrong_event"
    assert not Attendance.objects.exists()


def test_ticket_of_another_organisations_event_is_not_named_in_the_sync_answer(sync, session):
    foreign = TicketFactory(attendee__registration__event__title="Atelier confidentiel")
    typed = offline_scan(session, foreign)
    del typed["ticket_id"], typed["ticket_hash"]
    typed["text"] = foreign.short_code

    results = sync([offline_scan(session, foreign), typed]).json()["results"]

    assert [result["status"] for result in results] == ["wrong_event", "wrong_event"]
    assert all("Atelier confidentiel" not in result["message"] for result in results)


def test_refusals_made_offline_are_logged_without_attendance(sync, session):
    item = {
        "type": "scan",
        "nonce": str(uuid.uuid4()),
        "session_id": session.pk,
        "device_time": DEVICE_TIME.isoformat(),
        "local_status": "unknown_ticket",
        "text": "NOPE-NOPE",
    }

    result = sync([item]).json()["results"][0]

    assert result["status"] == "unknown_ticket"
    attempt = ScanAttempt.objects.get()
    assert attempt.text == "NOPE-NOPE" and attempt.attendance is None


def test_offline_admission_outside_the_check_in_window_is_refused(sync, session, ticket):
    yesterday = (DOOR_OPEN - datetime.timedelta(days=1)).isoformat()

    result = sync([offline_scan(session, ticket, device_time=yesterday)]).json()["results"][0]

    assert result["status"] == "session_not_open"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "teleport"},
        {"nonce": "not-a-uuid"},
        {"session_id": "x"},
        {"device_time": "yesterday"},
        {"device_time": "2026-12-01T10:00:00"},  # no time zone
        {"local_status": "welcome"},
        {"ticket_hash": ""},
        {"session_id": 999999},
    ],
)
def test_malformed_item_rejects_the_whole_batch_and_writes_nothing(sync, session, ticket, broken):
    good = offline_scan(session, TicketFactory(attendee__registration__event=session.event))
    bad = {**offline_scan(session, ticket), **broken}

    response = sync([good, offline_walk_in(session), bad])

    assert response.status_code == 422
    assert not Attendance.objects.exists()
    assert not ScanAttempt.objects.exists()


def test_walk_in_with_unknown_gender_rejects_the_batch(sync, session, ticket):
    bad = offline_walk_in(
        session, groups=[{"gender": "robot", "age_band": "25-59", "profile": "migrant"}]
    )

    response = sync([offline_scan(session, ticket), bad])

    assert response.status_code == 422
    assert response.json()["errors"] == {"items": ["1"]}  # the second item, counted from 0
    assert not Attendance.objects.exists()


def test_same_nonce_twice_in_one_batch_is_refused(sync, session, ticket):
    item = offline_scan(session, ticket)

    assert sync([item, item]).status_code == 422
    assert not Attendance.objects.exists()


def test_empty_batch_is_refused(sync):
    assert sync([]).status_code == 422


def test_oversized_batch_is_413_and_writes_nothing(sync, session):
    batch = [offline_walk_in(session) for _ in range(MAX_SYNC_ITEMS + 1)]

    response = sync(batch)

    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"
    assert not Attendance.objects.exists()


def test_largest_allowed_batch_is_accepted(sync, session):
    batch = [offline_walk_in(session) for _ in range(MAX_SYNC_ITEMS)]

    assert sync(batch).status_code == 200
    assert Attendance.objects.count() == MAX_SYNC_ITEMS


def test_sync_needs_a_door_token(client, session, ticket):
    response = client.post(
        "/api/v1/checkin/sync",
        {"items": [offline_scan(session, ticket)]},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert not Attendance.objects.exists()


@pytest.fixture
def api_scan(client, issued):
    def scan(session, ticket):
        response = client.post(
            "/api/v1/checkin/scan",
            {"text": ticket.secret, "session_id": session.pk, "nonce": str(uuid.uuid4())},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
        )
        assert response.json()["status"] == "admitted"

    return scan


def test_organizer_sees_conflicts_on_the_session_door_page(
    sync, session, ticket, api_scan, client, organizer
):
    session.event.organizer = organizer.memberships.first().organization
    session.event.save()
    api_scan(session, ticket)
    sync([offline_scan(session, ticket, device_id="phone-9")])
    client.force_login(organizer)

    page = client.get(f"/door/sessions/{session.pk}/").content.decode()

    assert "conflict-double_admission" in page
    assert "phone-9" in page


def test_conflicts_are_listed_read_only_in_the_admin(
    sync, session, ticket, api_scan, client, admin_user
):
    api_scan(session, ticket)
    sync([offline_scan(session, ticket, device_id="phone-7")])
    client.force_login(admin_user)

    listing = client.get("/admin/attendance/syncconflict/")

    assert listing.status_code == 200
    assert "phone-7" in listing.content.decode()
    assert client.get("/admin/attendance/syncconflict/add/").status_code == 403
