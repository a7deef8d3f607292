"""Offline uploads racing each other on PostgreSQL, with real threads: two devices that admitted
the same people, and one device whose batch is sent several times at once."""

import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, SyncConflict
from attendance.services.sync import OfflineScan, checkin_sync, legacy_secret_hash
from attendance.services.tokens import door_token_create
from tests.attendance.conftest import DOOR_OPEN
from tests.concurrency import run_together
from tests.factories import TicketFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 10


def batch_for(session, tickets):
    return [
        OfflineScan(
            nonce=uuid.uuid4(),
            session_id=session.pk,
            device_time=DOOR_OPEN,
            ticket_id=ticket.pk,
            ticket_hash=legacy_secret_hash(ticket.secret),
        )
        for ticket in tickets
    ]


def all_answers(jobs):
    answers, errors = run_together(jobs)
    assert errors == []
    return answers


def test_two_devices_syncing_the_same_people_at_once_admit_each_once(session, door_open):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(PEOPLE)]
    devices = [
        door_token_create(label=f"Door {n}", events=[session.event], created_by=None).door_token
        for n in range(2)
    ]
    batches = [batch_for(session, tickets), batch_for(session, list(reversed(tickets)))]

    all_answers(
        [
            lambda token=token, batch=batch: checkin_sync(token=token, items=batch)
            for token, batch in zip(devices, batches, strict=True)
        ]
    )

    assert Attendance.objects.filter(session=session).count() == PEOPLE
    assert SyncConflict.objects.filter(kind="double_admission").count() == PEOPLE
    assert ScanAttempt.objects.count() == 2 * PEOPLE


def test_one_batch_sent_several_times_at_once_records_each_item_once(token, session, door_open):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(PEOPLE)]
    batch = batch_for(session, tickets)

    answers = all_answers([lambda: checkin_sync(token=token, items=batch) for _ in range(6)])

    assert all(answer == answers[0] for answer in answers)
    assert {result["status"] for result in answers[0]} == {"admitted"}
    assert Attendance.objects.filter(session=session).count() == PEOPLE
    assert ScanAttempt.objects.count() == PEOPLE
    assert not SyncConflict.objects.exists()
