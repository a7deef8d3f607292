"""The offline pack: enough to validate tickets at the door, nothing personal beyond the scan
result, secrets only as hashes, scoped to the token's events."""

import gzip
import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import OfflineCodeHash
from attendance.offline_format import tickets_decode
from attendance.services.offline_keys import offline_pack_key_rotate
from events.models import Attendee, Ticket
from events.services.tickets import ticket_reissue
from tests.attendance.conftest import bearer
from tests.factories import AttendeeFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


def pack_rows(pack):
    return tickets_decode(pack["tickets"])


def pbkdf2(code, pack):
    """The code's slow hash as the pack holds it: cut to the pack's width."""
    hashing = pack["hashing"]
    return hashlib.pbkdf2_hmac(
        "sha256", code.encode(), hashing["salt"].encode(), hashing["iterations"], 32
    ).hex()[: pack["tickets"]["hash_bytes"] * 2]


def test_pack_lists_the_events_tickets_by_hash_with_door_fields(download, session, ticket):
    AttendeeFactory(registration=ticket.attendee.registration, is_contact=False)

    response = download(session.event_id)

    assert response.status_code == 200
    pack = response.json()
    [row] = pack_rows(pack)
    assert row["id"] == ticket.pk
    salt = pack["hashing"]["salt"]
    width = pack["tickets"]["hash_bytes"] * 2
    assert width == 16
    full = hashlib.sha256(f"{salt}:{ticket.secret}".encode()).hexdigest()
    assert row["secret_hash"] == full[:width]
    assert row["code_hash"] == pbkdf2(ticket.short_code, pack)
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


def test_code_hash_is_not_a_fast_sha256_of_the_code(download, session, ticket):
    """A fast hash of a 40-bit code is reversed by trying every code: the pack must not hold one."""
    [row] = pack_rows(download(session.event_id).json())

    for fast in (f"code:{ticket.short_code}", ticket.short_code):
        assert row["code_hash"] != hashlib.sha256(fast.encode()).hexdigest()
    assert row["secret_hash"] != hashlib.sha256(ticket.secret.encode()).hexdigest()


def test_pack_carries_a_random_salt_and_the_iterations_the_settings_say(
    download, session, ticket, settings
):
    settings.OFFLINE_CODE_HASH_ITERATIONS = 1_234
    pack = download(session.event_id).json()

    assert pack["hashing"]["iterations"] == 1_234
    assert pack["hashing"]["code"] == "pbkdf2-sha256" and pack["hashing"]["secret"] == "sha256"
    assert len(pack["hashing"]["salt"]) == 32
    [row] = pack_rows(pack)
    assert row["code_hash"] == pbkdf2(ticket.short_code, pack)


def test_two_events_packs_carry_different_salts(download, session, ticket, issued):
    other = SessionFactory()
    issued.door_token.events.add(other.event)
    TicketFactory(attendee__registration__event=other.event)

    assert (
        download(session.event_id).json()["hashing"]["salt"]
        != download(other.event_id).json()["hashing"]["salt"]
    )


def test_rotated_generation_gives_the_same_event_a_new_salt_new_hashes_and_version(
    download, session, ticket
):
    before = download(session.event_id).json()
    offline_pack_key_rotate(event=session.event)
    after = download(session.event_id).json()

    assert after["hashing"]["salt"] != before["hashing"]["salt"]
    [old], [new] = pack_rows(before), pack_rows(after)
    assert (new["secret_hash"], new["code_hash"]) != (old["secret_hash"], old["code_hash"])
    assert new["code_hash"] == pbkdf2(ticket.short_code, after)
    assert after["version"] != before["version"]


def test_slow_hashes_are_computed_once_and_reused_by_later_builds(download, session, ticket):
    first = download(session.event_id).json()
    stored = OfflineCodeHash.objects.get(ticket=ticket)
    # Make the stored row recognisable: a second build must serve it, not hash again. (A first
    # name edited too, so that the second download builds instead of serving the kept columns.)
    OfflineCodeHash.objects.filter(pk=stored.pk).update(code_hash="f" * 64)
    Attendee.objects.filter(pk=ticket.attendee_id).update(first_name="Amina")

    second = download(session.event_id).json()

    assert first["hashing"] == second["hashing"]
    assert pack_rows(second)[0]["code_hash"] == "f" * 16
    assert OfflineCodeHash.objects.count() == 1


def test_an_unchanged_event_serves_the_kept_ticket_columns(download, session, ticket):
    first = download(session.event_id).json()

    with CaptureQueriesContext(connection) as queries:
        second = download(session.event_id).json()

    assert second["tickets"] == first["tickets"] and second["version"] == first["version"]
    assert not any("events_ticket" in q["sql"] and "hashtext" not in q["sql"] for q in queries)


def test_every_change_to_what_the_tickets_show_reaches_the_next_download(download, session, ticket):
    kept = download(session.event_id).json()
    Attendee.objects.filter(pk=ticket.attendee_id).update(first_name="Amina")
    [renamed] = pack_rows(download(session.event_id).json())
    AttendeeFactory(registration=ticket.attendee.registration, is_contact=False)
    [grouped] = pack_rows(download(session.event_id).json())
    ticket.sessions.add(session)
    [restricted] = pack_rows(download(session.event_id).json())
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CANCELLED)
    cancelled = download(session.event_id).json()

    assert pack_rows(kept)[0]["first_name"] == "Aminata" and renamed["first_name"] == "Amina"
    assert grouped["group_size"] == 2
    assert restricted["sessions"] == [session.pk]
    assert pack_rows(cancelled)[0]["status"] == "cancelled"
    assert cancelled["version"] != kept["version"]


def test_reissued_ticket_gets_its_new_code_hashed_and_a_new_version(download, session, ticket):
    before = download(session.event_id).json()
    ticket = ticket_reissue(ticket=ticket)

    after = download(session.event_id).json()

    [row] = pack_rows(after)
    assert row["code_hash"] == pbkdf2(ticket.short_code, after)
    assert row["code_hash"] != pack_rows(before)[0]["code_hash"]
    assert after["version"] != before["version"]
    assert OfflineCodeHash.objects.get(ticket=ticket).short_code == ticket.short_code


def test_pack_build_queries_do_not_grow_with_tickets(download, session, ticket):
    download(session.event_id)
    with CaptureQueriesContext(connection) as few:
        download(session.event_id)
    for _ in range(3):
        TicketFactory(attendee__registration__event=session.event)
    download(session.event_id)  # hashes the new tickets once
    with CaptureQueriesContext(connection) as more:
        download(session.event_id)

    assert len(more) == len(few)


def test_pack_is_sent_gzipped_to_a_client_that_accepts_it(client, issued, session):
    for _number in range(30):
        TicketFactory(attendee__registration__event=session.event)
    plain = client.get(
        "/api/v1/checkin/offline-pack", {"event_id": session.event_id}, **bearer(issued.raw_token)
    )
    zipped = client.get(
        "/api/v1/checkin/offline-pack",
        {"event_id": session.event_id},
        HTTP_ACCEPT_ENCODING="gzip, deflate, br",
        **bearer(issued.raw_token),
    )
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content) * 0.8
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
