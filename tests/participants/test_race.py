"""Two registrations of the same person at the same moment link to one participant: the unique
constraint on the organisation's match hash decides, with real threads on PostgreSQL."""

import functools

import pytest

from participants.models import Participant, ParticipantLink
from tests.concurrency import run_together
from tests.factories import EventFactory, OrganizationFactory, ProgrammeFactory
from tests.participants.test_matching import register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def test_simultaneous_registrations_of_one_person_make_one_participant():
    organization = OrganizationFactory()
    programme = ProgrammeFactory(lead_organization=organization)
    events = [EventFactory(programme=programme) for _ in range(THREADS)]
    _, errors = run_together(
        [functools.partial(register, event, "Aminata", "0612345678") for event in events]
    )
    assert errors == []
    assert ParticipantLink.objects.count() == THREADS
    assert Participant.objects.count() == 1
