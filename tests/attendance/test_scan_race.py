"""The one-admission-per-ticket-per-session guarantee, tested the only honest way: real threads,
each with its own PostgreSQL connection, scanning the same ticket at the same moment."""

import functools
import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.services.scans import checkin_scan
from tests.concurrency import run_together

SCANNERS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_one_ticket_admit_exactly_once(token, session, ticket, door_open):
    def volunteer(gate):
        return checkin_scan(
            token=token, text=ticket.secret, session=session, gate=gate, nonce=uuid.uuid4()
        )["status"]

    statuses, errors = run_together(
        [functools.partial(volunteer, f"gate-{i}") for i in range(SCANNERS)]
    )

    assert errors == []
    assert statuses.count(ScanStatus.ADMITTED) == 1
    assert statuses.count(ScanStatus.ALREADY_ADMITTED) == SCANNERS - 1
    assert Attendance.objects.filter(ticket=ticket, session=session).count() == 1
    assert ScanAttempt.objects.filter(ticket=ticket).count() == SCANNERS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_nonce_record_one_attempt(token, session, ticket, door_open):
    nonce = uuid.uuid4()

    def retry():
        return checkin_scan(token=token, text=ticket.secret, session=session, gate="A", nonce=nonce)

    answers, errors = run_together([retry] * SCANNERS)

    assert errors == []
    assert {answer["status"] for answer in answers} == {ScanStatus.ADMITTED}
    assert ScanAttempt.objects.count() == 1
    assert Attendance.objects.count() == 1
