import pytest

from attendance.demo import DEMO_DOOR_TOKEN, demo_load
from attendance.models import DoorSettings, DoorToken
from attendance.services.tokens import door_token_authenticate
from events.demo import demo_load as events_demo_load

pytestmark = pytest.mark.django_db


def test_demo_gives_a_working_scanner_link_and_is_idempotent():
    events_demo_load()

    first = demo_load()
    again = demo_load()

    assert first.created_objects > 0 and again.created_objects == 0
    token = door_token_authenticate(DEMO_DOOR_TOKEN)
    assert token is not None and token.events.count() == DoorSettings.objects.count() > 0
    assert f"/scan/#token={DEMO_DOOR_TOKEN}" in first.text
    assert DoorToken.objects.count() == 1


def test_demo_works_without_events_or_tickets():
    assert "0 events" in demo_load().text
