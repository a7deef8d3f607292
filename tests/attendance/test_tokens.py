import datetime

import pytest
from django.utils import timezone

from attendance.models import DoorToken
from attendance.services.tokens import door_token_authenticate, door_token_create, door_token_revoke
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_organizer_creates_a_token_for_own_event_and_it_authenticates(organizer):
    from core.models import Membership

    event = EventFactory(
        programme__lead_organization=Membership.objects.get(user=organizer).organization
    )

    issued = door_token_create(label="Moussa", events=[event], created_by=organizer)

    assert door_token_authenticate(issued.raw_token) == issued.door_token
    assert AuditEntry.objects.filter(action="door_token.create", actor=organizer).exists()


def test_organizer_cannot_create_a_token_for_someone_elses_event(organizer):
    with pytest.raises(PermissionDenied):
        door_token_create(label="X", events=[EventFactory()], created_by=organizer)
    assert not DoorToken.objects.exists()


@pytest.mark.parametrize(
    "label, with_event, expires_in",
    [
        ("", True, None),
        ("Label", False, None),
        ("Label", True, datetime.timedelta(hours=-1)),
    ],
)
def test_invalid_token_requests_are_refused(label, with_event, expires_in):
    events = [EventFactory()] if with_event else []
    expires_at = timezone.now() + expires_in if expires_in else None

    with pytest.raises(ApplicationError):
        door_token_create(label=label, events=events, created_by=None, expires_at=expires_at)


def test_revoked_token_no_longer_authenticates_and_revocation_is_audited():
    issued = door_token_create(label="V", events=[EventFactory()], created_by=None)
    revoker = MembershipFactory().user

    door_token_revoke(door_token=issued.door_token, revoked_by=revoker)

    assert door_token_authenticate(issued.raw_token) is None
    assert AuditEntry.objects.filter(action="door_token.revoke", actor=revoker).count() == 1


def test_unknown_or_empty_token_does_not_authenticate():
    assert door_token_authenticate("") is None
    assert door_token_authenticate("made-up") is None


def test_admin_revoke_action(client, admin_user):
    issued = door_token_create(label="V", events=[EventFactory()], created_by=None)
    client.force_login(admin_user)

    client.post(
        "/admin/attendance/doortoken/",
        {"action": "revoke", "_selected_action": [issued.door_token.pk]},
    )

    issued.door_token.refresh_from_db()
    assert issued.door_token.revoked_at is not None
