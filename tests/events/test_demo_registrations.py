import pytest

from events.demo import DEMO_CLASS_SIZE, DEMO_FAMILY, demo_load
from events.models import Registration, Ticket

pytestmark = pytest.mark.django_db


def test_demo_has_scannable_tickets_including_a_family_and_a_class_and_is_idempotent():
    demo_load()
    tickets = Ticket.objects.count()
    assert Ticket.objects.filter(status=Ticket.Status.VALID).count() == tickets > 0
    family = Registration.objects.get(kind=Registration.Kind.HOUSEHOLD)
    assert family.members.count() == len(DEMO_FAMILY)
    school = Registration.objects.get(kind=Registration.Kind.GROUP)
    assert school.members.count() == DEMO_CLASS_SIZE + 1
    assert not Registration.objects.exclude(phone="").exists()  # demo never messages anyone
    assert demo_load().created_objects == 0
    assert Ticket.objects.count() == tickets
