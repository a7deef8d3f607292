"""Door tokens: created and revoked by organizers, checked on every scan API call."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.permissions import can_manage_event
from core.services import audit_record

from ..models import DoorToken

TOKEN_PREFIX_LENGTH = 6


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@dataclass
class IssuedToken:
    door_token: DoorToken
    raw_token: str  # shown once to the organizer, never stored


@transaction.atomic
def door_token_create(
    *, label: str, events, created_by, expires_at=None, language: str = ""
) -> IssuedToken:
    events = list(events)
    label = (label or "").strip()
    if not label:
        raise ApplicationError(
            _("Give the volunteer's name or the device's label."), code="invalid"
        )
    if not events:
        raise ApplicationError(_("Assign the token to at least one event."), code="invalid")
    if created_by is not None:
        for event in events:
            if not can_manage_event(created_by, event):
                raise PermissionDenied(_("You do not organize this event."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("The expiry date must be in the future."), code="invalid")
    raw = secrets.token_urlsafe(32)
    door_token = DoorToken.objects.create(
        label=label,
        language=language,
        token_hash=token_hash(raw),
        token_prefix=raw[:TOKEN_PREFIX_LENGTH],
        created_by=created_by,
        expires_at=expires_at,
    )
    door_token.events.set(events)
    audit_record(
        actor=created_by,
        action="door_token.create",
        target=door_token,
        detail={"events": [event.pk for event in events]},
    )
    return IssuedToken(door_token=door_token, raw_token=raw)


@transaction.atomic
def door_token_revoke(*, door_token: DoorToken, revoked_by) -> DoorToken:
    if door_token.revoked_at is None:
        door_token.revoked_at = timezone.now()
        door_token.save(update_fields=["revoked_at"])
        audit_record(actor=revoked_by, action="door_token.revoke", target=door_token)
    return door_token


def door_token_authenticate(raw_token: str) -> DoorToken | None:
    """The active token matching `raw_token`, or None (unknown, revoked or expired)."""
    if not raw_token:
        return None
    door_token = DoorToken.objects.filter(
        token_hash=token_hash(raw_token.strip()), revoked_at__isnull=True
    ).first()
    if door_token is None:
        return None
    if door_token.expires_at is not None and door_token.expires_at <= timezone.now():
        return None
    return door_token
