"""Participant cards offline: the pack names them by salted hashes only, with the person's
demographics and tickets of the event; a known walk-in admitted offline is registered at sync
exactly once per nonce and per person, whatever the devices; a card revoked since the download
registers nobody and is reported."""

import hashlib
import json

import pytest

from attendance.models import Attendance, DoorSettings, OfflineCardCodeHash, SyncConflict
from attendance.services.offline_keys import (
    offline_code_hashes_warm,
    offline_pack_key,
    secret_hash,
)
from attendance.services.tokens import door_token_create
from events.models import Registration
from participants.models import ParticipantLink
from participants.services.cards import card_issue, card_reissue, card_revoke
from tests.attendance.test_sync import offline_item
from tests.factories import EventFactory, ParticipantFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def participant(session):
    """Someone who came to an earlier event of the same programme."""
    person = ParticipantFactory(
        organization=session.event.organizer, gender="female", age_band="25-59"
    )
    earlier = EventFactory(programme=session.event.programme, organizer=session.event.organizer)
    ticket = TicketFactory(attendee__registration__event=earlier)
    ParticipantLink.objects.filter(attendee=ticket.attendee).delete()
    ParticipantLink.objects.create(attendee=ticket.attendee, participant=person)
    return person


@pytest.fixture
def card(participant):
    return card_issue(participant=participant, actor=None)


def ok_json(response):
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def download(download):
    """The pack itself: every download here is expected to succeed."""
    return lambda event_id, **token: ok_json(download(event_id, **token))


@pytest.fixture
def sync(sync):
    """The per-item answers: every upload here is expected to be accepted."""
    return lambda items, **token: ok_json(sync(items, **token))["results"]


def card_rows(pack):
    return [dict(zip(pack["card_fields"], row, strict=True)) for row in pack["cards"]]


def known_walk_in(session, card, **extra):
    salt = offline_pack_key(event=session.event).salt
    fields = {
        "gate": "A",
        "card_id": card.pk,
        "card_hash": secret_hash(secret=card.secret, salt=salt),
    }
    return offline_item("known_walk_in", session, **{**fields, **extra})


def test_pack_names_cards_by_hashes_with_demographics_and_tickets(
    download, session, participant, card
):
    held = TicketFactory(attendee__registration__event=session.event)
    ParticipantLink.objects.filter(attendee=held.attendee).delete()
    merged = ParticipantFactory(organization=participant.organization, merged_into=participant)
    ParticipantLink.objects.create(attendee=held.attendee, participant=merged)
    # Someone of the organisation who never registered in this programme is not in the pack.
    outsider = card_issue(
        participant=ParticipantFactory(organization=participant.organization), actor=None
    )

    pack = download(session.event_id)

    [row] = card_rows(pack)
    salt = pack["hashing"]["salt"]
    assert row["id"] == card.pk
    assert row["secret_hash"] == hashlib.sha256(f"{salt}:{card.secret}".encode()).hexdigest()
    assert (
        row["code_hash"]
        == hashlib.pbkdf2_hmac(
            "sha256", card.short_code.encode(), salt.encode(), pack["hashing"]["iterations"], 32
        ).hex()
    )
    assert (row["gender"], row["age_band"]) == ("female", "25-59")
    assert row["tickets"] == [held.pk]
    assert pack["door"] == {"known_walk_ins": True}
    text = json.dumps(pack)
    for secret in (card.secret, card.short_code, outsider.secret, outsider.short_code):
        assert secret not in text
    # Stored for the next download, like ticket code hashes.
    assert OfflineCardCodeHash.objects.filter(card=card).count() == 1


def test_pack_version_changes_with_cards_and_door_settings(download, session, participant, card):
    first = download(session.event_id)["version"]
    card_revoke(card=card, actor=None)
    revoked = download(session.event_id)
    assert revoked["version"] != first and revoked["cards"] == []
    new = card_reissue(participant=participant, actor=None)
    reissued = download(session.event_id)
    assert reissued["version"] != revoked["version"]
    assert [row[0] for row in reissued["cards"]] == [new.pk]
    DoorSettings.objects.create(event=session.event, known_walk_ins=False)
    assert download(session.event_id)["door"] == {"known_walk_ins": False}


def test_card_code_hashes_are_warmed_in_the_background(session, participant, card, settings):
    settings.OFFLINE_CODE_HASH_WARM_BATCH = 10

    assert offline_code_hashes_warm(event_id=session.event_id) == 0

    key = offline_pack_key(event=session.event)
    assert OfflineCardCodeHash.objects.filter(key=key, card=card).exists()


def test_pack_build_is_bounded_for_cards_too(download, client, issued, session, card, settings):
    settings.OFFLINE_PACK_HASHES_PER_REQUEST = 0
    response = client.get(
        "/api/v1/checkin/offline-pack",
        {"event_id": session.event_id},
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )
    assert response.status_code == 503
    assert not OfflineCardCodeHash.objects.exists()


def test_a_known_walk_in_synced_twice_registers_once(sync, session, participant, card):
    item = known_walk_in(session, card)

    [first] = sync([item])
    [again] = sync([item])

    assert first["status"] == "admitted" and first["kind"] == "known_walk_in"
    assert again == first
    registration = Registration.objects.get(event=session.event)
    assert registration.source == Registration.Source.DOOR
    attendee = registration.members.get()
    assert attendee.participant_link.participant_id == participant.pk
    attendance = Attendance.objects.get(session=session)
    assert attendance.source == Attendance.Source.OFFLINE
    assert attendance.ticket.attendee_id == attendee.pk


def test_two_devices_admitting_the_same_known_walk_in_make_one_registration(sync, session, card):
    other_device = door_token_create(label="Gate 2", events=[session.event], created_by=None)

    [first] = sync([known_walk_in(session, card)])
    [second] = sync(
        [known_walk_in(session, card, device_id="phone-2")], token=other_device.raw_token
    )

    assert first["status"] == "admitted"
    assert second["status"] == "already_admitted"
    assert second["conflict"] == SyncConflict.Kind.DOUBLE_ADMISSION
    assert Registration.objects.filter(event=session.event).count() == 1
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_card_revoked_after_the_download_registers_nobody(sync, session, participant, card):
    item = known_walk_in(session, card)
    card_reissue(participant=participant, actor=None)

    [answer] = sync([item])

    assert answer["status"] == "cancelled"
    assert answer["conflict"] == SyncConflict.Kind.CARD_REVOKED
    assert SyncConflict.objects.get().kind == SyncConflict.Kind.CARD_REVOKED
    assert not Registration.objects.filter(event=session.event).exists()
    assert not Attendance.objects.exists()


def test_a_card_hash_of_another_card_registers_nobody(sync, session, card):
    [answer] = sync([known_walk_in(session, card, card_hash="0" * 64)])

    assert answer["status"] == "unknown_ticket"
    assert not Registration.objects.filter(event=session.event).exists()


def test_a_known_walk_in_with_a_ticket_got_meanwhile_admits_that_ticket(
    sync, session, participant, card
):
    ticket = TicketFactory(attendee__registration__event=session.event)
    ParticipantLink.objects.filter(attendee=ticket.attendee).delete()
    ParticipantLink.objects.create(attendee=ticket.attendee, participant=participant)

    [answer] = sync([known_walk_in(session, card)])

    assert answer["status"] == "admitted"
    assert Attendance.objects.get(session=session).ticket_id == ticket.pk
    assert Registration.objects.filter(event=session.event).count() == 1
