"""The one-admission-per-ticket-per-session guarantee, tested the only honest way: real threads,
each with its own PostgreSQL connection, scanning the same ticket at the same moment."""

import threading
import uuid

import pytest
from django.db import connection

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.services.scans import checkin_scan

SCANNERS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_one_ticket_admit_exactly_once(token, session, ticket, door_open):
    barrier = threading.Barrier(SCANNERS)
    statuses, errors = [], []

    def volunteer(gate):
        try:
            barrier.wait(timeout=30)
            result = checkin_scan(
                token=token, text=ticket.secret, session=session, gate=gate, nonce=uuid.uuid4()
            )
            statuses.append(result["status"])
        except Exception as exc:  # surfaced below: a thread must not hide a failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=volunteer, args=(f"gate-{i}",)) for i in range(SCANNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses.count(ScanStatus.ADMITTED) == 1
    assert statuses.count(ScanStatus.ALREADY_ADMITTED) == SCANNERS - 1
    assert Attendance.objects.filter(ticket=ticket, session=session).count() == 1
    assert ScanAttempt.objects.filter(ticket=ticket).count() == SCANNERS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_nonce_record_one_attempt(token, session, ticket, door_open):
    barrier = threading.Barrier(SCANNERS)
    nonce = uuid.uuid4()
    answers, errors = [], []

    def retry():
        try:
            barrier.wait(timeout=30)
            answers.append(
                checkin_scan(
                    token=token, text=ticket.secret, session=session, gate="A", nonce=nonce
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(SCANNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert {answer["status"] for answer in answers} == {ScanStatus.ADMITTED}
    assert ScanAttempt.objects.count() == 1
    assert Attendance.objects.count() == 1
