"""Offline pack code hashes are computed in the background (warm task, eager Celery here), a pack
download computes a bounded number of them, and revoking a door token starts a new salt."""

import hashlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import OfflineCodeHash, OfflinePackKey
from attendance.offline_format import tickets_decode
from attendance.services.offline_keys import _warm_mark, offline_pack_key
from attendance.services.tokens import door_token_create, door_token_revoke
from attendance.tasks import offline_code_hashes_warm_task
from events.models import Registration, Ticket
from events.services.registrations import PersonData, registration_create
from events.services.tickets import ticket_reissue
from tests.factories import TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis, pytest.mark.usefixtures("door_open")]

ADULT = PersonData(first_name="Aminata", gender="female", age_band="25-59", profile="migrant")
CHILD = PersonData(first_name="Awa", gender="female", age_band="5-11", profile="migrant")
HASH_INSERT = f'INSERT INTO "{OfflineCodeHash._meta.db_table}"'


@pytest.fixture(autouse=True)
def cheap_hashes(settings):
    # The production count costs ~100 ms per code; the logic under test does not depend on it.
    settings.OFFLINE_CODE_HASH_ITERATIONS = 1_000
    cache.clear()
    yield
    cache.clear()


def register(event, members=()):
    return registration_create(
        event=event,
        contact=ADULT,
        members=members,
        consent_register=True,
        consent_contact=False,
        source=Registration.Source.API,
    )


def hash_inserts(queries):
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(HASH_INSERT)]


def current_hashes(event):
    key = OfflinePackKey.objects.filter(event=event).first()
    return dict(
        OfflineCodeHash.objects.filter(key=key).values_list("ticket__short_code", "code_hash")
    )


def expected_hash(code, key):
    return hashlib.pbkdf2_hmac("sha256", code.encode(), key.salt.encode(), key.iterations, 32).hex()


def test_issued_tickets_are_hashed_in_the_background_and_the_pack_computes_none(
    download, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(session.event, members=[CHILD])
        register(session.event)
    tickets = list(Ticket.objects.filter(event=session.event))
    key = offline_pack_key(event=session.event)

    assert current_hashes(session.event) == {
        t.short_code: expected_hash(t.short_code, key) for t in tickets
    }
    with CaptureQueriesContext(connection) as queries:
        response = download(session.event_id)
    assert response.status_code == 200
    assert response.json()["tickets"]["count"] == 3
    assert hash_inserts(queries) == []


def test_reissued_ticket_gets_its_new_code_hashed_in_the_background(
    session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(session.event)
    ticket = Ticket.objects.get(event=session.event)
    old_code = ticket.short_code

    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_reissue(ticket=ticket)

    assert set(current_hashes(session.event)) == {ticket.short_code}
    assert ticket.short_code != old_code


def test_a_burst_of_registrations_shares_the_queued_warm_run(
    session, django_capture_on_commit_callbacks
):
    # A run is already queued (its mark set) and has not started: registrations add no task.
    cache.add(_warm_mark(session.event_id), 1, timeout=60)
    with django_capture_on_commit_callbacks(execute=True):
        register(session.event)
        register(session.event)
    assert OfflineCodeHash.objects.count() == 0

    # That queued run, when it comes, hashes every ticket registered meanwhile.
    offline_code_hashes_warm_task.delay(session.event_id)
    assert len(current_hashes(session.event)) == 2
    # and clears the mark, so the next registration queues a run of its own.
    with django_capture_on_commit_callbacks(execute=True):
        register(session.event)
    assert len(current_hashes(session.event)) == 3


def test_warm_task_works_in_batches_valid_tickets_first_until_all_are_hashed(
    session, settings, django_capture_on_commit_callbacks
):
    settings.OFFLINE_CODE_HASH_WARM_BATCH = 2
    waiting = TicketFactory(
        attendee__registration__event=session.event, status=Ticket.Status.WAITLISTED
    )
    valid = [TicketFactory(attendee__registration__event=session.event) for _ in range(2)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        left = offline_code_hashes_warm_task.delay(session.event_id).get()
    assert left == 1
    assert set(current_hashes(session.event)) == {t.short_code for t in valid}
    assert len(callbacks) == 1  # the next run, queued after commit

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert set(current_hashes(session.event)) == {t.short_code for t in [*valid, waiting]}


def test_warm_task_is_idempotent(session):
    for _ in range(3):
        TicketFactory(attendee__registration__event=session.event)
    offline_code_hashes_warm_task.delay(session.event_id)
    first = current_hashes(session.event)

    with CaptureQueriesContext(connection) as queries:
        left = offline_code_hashes_warm_task.delay(session.event_id).get()

    assert left == 0
    assert hash_inserts(queries) == []
    assert current_hashes(session.event) == first and len(first) == 3


def test_warm_task_of_a_deleted_event_does_nothing(db):
    assert offline_code_hashes_warm_task.delay(999_999_999).get() == 0


def test_pack_with_too_many_missing_hashes_computes_at_most_n_and_answers_503(
    download, session, settings, django_capture_on_commit_callbacks
):
    settings.OFFLINE_PACK_HASHES_PER_REQUEST = 2
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(5)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = download(session.event_id)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["code"] == "pack_not_ready"
    assert "minute" in response.json()["detail"]
    assert OfflineCodeHash.objects.count() == 2
    assert len(callbacks) == 1  # the warm task, queued after commit

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert len(current_hashes(session.event)) == 5
    with CaptureQueriesContext(connection) as queries:
        response = download(session.event_id)
    assert response.status_code == 200
    assert {row["id"] for row in tickets_decode(response.json()["tickets"])} == {
        t.pk for t in tickets
    }
    assert hash_inserts(queries) == []


def test_pack_with_few_missing_hashes_computes_them_in_the_request(download, session, settings):
    settings.OFFLINE_PACK_HASHES_PER_REQUEST = 2
    for _ in range(2):
        TicketFactory(attendee__registration__event=session.event)

    response = download(session.event_id)

    assert response.status_code == 200
    assert OfflineCodeHash.objects.count() == 2


def test_pack_not_ready_message_is_in_the_volunteers_language(client, session, settings):
    settings.OFFLINE_PACK_HASHES_PER_REQUEST = 0
    TicketFactory(attendee__registration__event=session.event)
    issued = door_token_create(label="Gate", events=[session.event], created_by=None)
    issued.door_token.language = "ar"
    issued.door_token.save(update_fields=["language"])

    response = client.get(
        "/api/v1/checkin/offline-pack",
        {"event_id": session.event_id},
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert response.status_code == 503
    assert (
        response.json()["detail"]
        == "قائمة التذاكر للعمل دون اتصال قيد الإعداد؛ حاول مرة أخرى بعد دقيقة."
    )


def test_revoking_a_door_token_rotates_the_salt_and_warms_the_new_one(
    download, session, token, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(attendee__registration__event=session.event)
    other = door_token_create(label="Gate B", events=[session.event], created_by=None)
    before = download(session.event_id, token=other.raw_token).json()

    with django_capture_on_commit_callbacks(execute=True):
        door_token_revoke(door_token=token, revoked_by=None)

    key = offline_pack_key(event=session.event)
    assert key.salt != before["hashing"]["salt"]
    assert current_hashes(session.event) == {
        ticket.short_code: expected_hash(ticket.short_code, key)
    }
    with CaptureQueriesContext(connection) as queries:
        after = download(session.event_id, token=other.raw_token).json()
    assert after["hashing"]["salt"] == key.salt
    assert hash_inserts(queries) == []
    assert download(session.event_id).status_code == 401


def test_revoking_twice_rotates_once(session, token):
    door_token_revoke(door_token=token, revoked_by=None)
    keys = OfflinePackKey.objects.filter(event=session.event).count()

    door_token_revoke(door_token=token, revoked_by=None)

    assert OfflinePackKey.objects.filter(event=session.event).count() == keys
