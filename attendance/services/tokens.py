"""Door tokens: created and revoked by organizers, checked on every scan API call."""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.fastsql import aware, fetch_one
from core.permissions import can_manage_event
from core.services import audit_record

from ..models import DoorToken
from .offline_keys import offline_pack_key_rotate

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
    """Stop the token, and start a new offline pack generation for each of its events: the
    phone keeps the pack it downloaded, and packs built from now on share no salt or hash with
    it (the warm task hashes the codes again in the background)."""
    if door_token.revoked_at is None:
        with transaction.atomic():
            door_token.revoked_at = timezone.now()
            door_token.save(update_fields=["revoked_at"])
            audit_record(actor=revoked_by, action="door_token.revoke", target=door_token)
            for event in door_token.events.all():
                offline_pack_key_rotate(event=event)
    return door_token


# The fields a door request uses, in the model's field order (from_db expects it); the others
# load on first access, as with .only().
_AUTH_FIELDS = ("id", "label", "language", "token_hash", "expires_at", "revoked_at")


def door_token_authenticate(raw_token: str) -> DoorToken | None:
    """The active token matching `raw_token`, or None (unknown, revoked or expired).

    Runs on every scan, so it is one plain indexed SELECT (core/fastsql.py says why)."""
    if not raw_token:
        return None
    table = DoorToken._meta.db_table
    row = fetch_one(
        f"SELECT {', '.join(_AUTH_FIELDS)} FROM {table}"  # noqa: S608 (names from the model)
        " WHERE token_hash = %s AND revoked_at IS NULL",
        [token_hash(raw_token.strip())],
    )
    if row is None:
        return None
    door_token = DoorToken.from_db(DEFAULT_DB_ALIAS, _AUTH_FIELDS, row)
    door_token.expires_at = aware(door_token.expires_at)
    if door_token.expires_at is not None and door_token.expires_at <= timezone.now():
        return None
    return door_token


# Tokens this process read recently, for the scan endpoint only (door_token_recall).
_RECALLED: dict[str, tuple[float, DoorToken]] = {}
RECALL_SECONDS = 30
RECALL_MAX_TOKENS = 1000


def door_token_recall(raw_token: str) -> DoorToken | None:
    """The token as this process read it in the last RECALL_SECONDS, else as door_token_authenticate
    reads it now. Saves the scan, the door's hot path, one query per request; the price is that
    a revocation is only seen by the caller's own check, so a caller must confirm the token is
    still active in the database (the scan does it in its one read, and answers 401)."""
    if not raw_token:
        return None
    key = token_hash(raw_token.strip())
    now = time.monotonic()
    recalled = _RECALLED.get(key)
    if recalled is not None and now - recalled[0] < RECALL_SECONDS:
        door_token = recalled[1]
        if door_token.expires_at is None or door_token.expires_at > timezone.now():
            return door_token
    door_token = door_token_authenticate(raw_token)
    if door_token is None:
        _RECALLED.pop(key, None)
        return None
    if len(_RECALLED) >= RECALL_MAX_TOKENS:
        _RECALLED.clear()
    _RECALLED[key] = (now, door_token)
    return door_token


def door_token_forget(door_token: DoorToken) -> None:
    """Drop a token this process recalls (it was found revoked or expired)."""
    _RECALLED.pop(door_token.token_hash, None)
