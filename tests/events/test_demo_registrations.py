import pytest

from events.demo import DEMO_CLASS_SIZE, DEMO_FAMILY, demo_load
from events.models import Registration, Ticket

pytestmark = pytest.mark.django_db


def test_demo_has_scannable_tickets_including_a_family_and_a_class_and_is_idempotent():
    demo_load()
    tickets = Ticket.objects.count()
    assert Ticket.objects.filter(status=Ticket.Status.VALID).count() == tickets > 0
    family = Registration.objects.get(
        kind=Registration.Kind.HOUSEHOLD, contact_name=DEMO_FAMILY[0][0]
    )
    assert family.members.count() == len(DEMO_FAMILY)
    school = Registration.objects.get(kind=Registration.Kind.GROUP)
    assert school.members.count() == DEMO_CLASS_SIZE + 1
    # The demo never messages anyone: phones (for matching people across events) without consent.
    assert not Registration.objects.filter(consent_contact=True).exists()
    assert demo_load().created_objects == 0
    assert Ticket.objects.count() == tickets


def test_demo_shows_people_across_events_a_household_and_a_duplicate_to_review(
    django_capture_on_commit_callbacks,
):
    from participants.models import DuplicateCandidate, Participant, ParticipantLink

    # Possible duplicates are looked for after commit (a Celery task, eager in tests).
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()
    links = ParticipantLink.objects.filter(attendee__registration__phone="+212612000101")
    assert links.count() == 3
    assert len({link.participant_id for link in links}) == 1  # Aïcha at three events: one person
    household = ParticipantLink.objects.filter(attendee__registration__phone="+212612000303")
    assert len({link.participant_id for link in household}) == 3  # mother and two children
    assert DuplicateCandidate.objects.filter(status="open").count() == 1
    participants = Participant.objects.count()
    assert demo_load().created_objects == 0
    assert Participant.objects.count() == participants
