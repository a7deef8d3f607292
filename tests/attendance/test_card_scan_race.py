"""Two scans of one participant card at the same moment, at one session, with no ticket: one
on-the-spot registration and one attendance, with real threads on PostgreSQL."""

import functools
import uuid

import pytest

from attendance.models import Attendance, ScanStatus
from attendance.services.scans import checkin_scan
from events.models import Registration
from participants.models import Participant
from participants.services.cards import card_issue
from tests.concurrency import run_together
from tests.factories import ParticipantFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("door_open"),
]
THREADS = 6


def test_simultaneous_scans_of_one_card_register_and_admit_once(token, session):
    participant = ParticipantFactory(organization=session.event.organizer)
    card = card_issue(participant=participant, actor=None)
    answers = []

    def worker(index):
        text = card.secret if index % 2 else card.short_code
        answers.append(
            checkin_scan(token=token, text=text, session=session.pk, nonce=uuid.uuid4())["status"]
        )

    _, errors = run_together([functools.partial(worker, index) for index in range(THREADS)])

    assert errors == []
    assert sorted(answers) == sorted(
        [ScanStatus.ADMITTED] + [ScanStatus.ALREADY_ADMITTED] * (THREADS - 1)
    )
    assert Registration.objects.filter(event=session.event).count() == 1
    assert Attendance.objects.filter(session=session).count() == 1
    assert Participant.objects.count() == 1
