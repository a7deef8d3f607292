"""Exactly once per member: phones admitting the same household at the same moment, some choosing
everyone, others a subset, with real threads on PostgreSQL, each with its own connection."""

import threading
import uuid

import pytest
from django.db import connection

from attendance.models import Attendance
from attendance.services.groups import checkin_group_admit
from tests.attendance.test_group_admission import household_of

PHONES = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_group_admissions_admit_each_member_exactly_once(token, session, door_open):
    household = household_of(session.event)
    everyone = [ticket.pk for ticket in household]
    # Half the phones choose everyone; the others two members, named in the other order.
    choices = [everyone if i % 2 == 0 else [everyone[2], everyone[1]] for i in range(PHONES)]
    barrier = threading.Barrier(PHONES)
    answers, errors = [], []

    def phone(ticket_ids, scanned):
        try:
            barrier.wait(timeout=30)
            answers.append(
                checkin_group_admit(
                    token=token,
                    text=scanned.secret,
                    session_id=session.pk,
                    ticket_ids=ticket_ids,
                    nonce=uuid.uuid4(),
                )
            )
        except Exception as exc:  # surfaced below: a thread must not hide a failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=phone, args=(choice, household[i % 3]))
        for i, choice in enumerate(choices)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(answer["admitted"] for answer in answers) == 3
    rows = Attendance.objects.filter(session=session, voided_at=None)
    assert sorted(rows.values_list("ticket_id", flat=True)) == sorted(everyone)
    member_answers = [m["status"] for answer in answers for m in answer["members"]]
    assert member_answers.count("admitted") == 3
    assert member_answers.count("already_admitted") == len(member_answers) - 3
