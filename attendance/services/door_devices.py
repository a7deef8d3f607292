"""A scanner's heartbeat: the device says, while it has a network, which session and gate it
scans and how many scans it holds unsynced. One row per token and device, overwritten by each
heartbeat in one upsert statement (two heartbeats at once leave the later one, never two rows);
nothing personal is stored, only counts and the device's random id."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from events.models import Session

from ..models import DoorDevice, DoorToken
from .door import door_input, token_may_use


def door_device_report(
    *, token: DoorToken, device_id: str, session_id: int, gate: str = "", unsynced: int
) -> DoorDevice:
    session = Session.objects.filter(pk=session_id).only("pk", "event_id").first()
    if session is None or not token_may_use(token, session):
        raise NotFound(_("Unknown session."))
    device = DoorDevice(
        token=token,
        device_id=door_input(device_id, 64),
        session=session,
        gate=door_input(gate, 60),
        unsynced=unsynced,
        last_seen_at=timezone.now(),
    )
    DoorDevice.objects.bulk_create(
        [device],
        update_conflicts=True,
        unique_fields=["token", "device_id"],
        update_fields=["session", "gate", "unsynced", "last_seen_at"],
    )
    return device
