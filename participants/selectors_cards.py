"""Reads for participant cards, scoped to who may see them."""

import re

from django.http import Http404

from core.permissions import is_administrator, organization_ids
from events.codes import normalize_short_code

from .models import Participant, ParticipantCard

MAX_ID = 2**63 - 1
# The card page's address also leads to the card, as a ticket page's leads to the ticket.
_CARD_URL = re.compile(r"/cards/([A-Za-z0-9_-]+)/?$")
MAX_CODE_TEXT = 512


def participant_managed(*, user, participant_id: int) -> Participant:
    """The participant, when `user` organizes for their organisation (or administers); 404
    otherwise, so another organisation's participants are not even confirmed to exist."""
    if not 0 < participant_id < MAX_ID:
        raise Http404
    participant = Participant.objects.select_related("organization").filter(pk=participant_id)
    participant = participant.first()
    if participant is None or not (
        is_administrator(user) or participant.organization_id in organization_ids(user)
    ):
        raise Http404
    return participant


def card_active(*, participant: Participant) -> ParticipantCard | None:
    return (
        ParticipantCard.objects.filter(
            participant_id=participant.canonical_id, status=ParticipantCard.Status.ACTIVE
        )
        .select_related("participant__organization")
        .first()
    )


def card_of_managed(*, user, participant_id: int) -> ParticipantCard | None:
    """The active card of a participant `user` manages (participant_managed's 404 otherwise)."""
    return card_active(participant=participant_managed(user=user, participant_id=participant_id))


def card_by_secret(*, secret: str) -> ParticipantCard | None:
    """The active card a card page's address names (a revoked card's page is gone)."""
    if not secret or len(secret) > 64:
        return None
    return (
        ParticipantCard.objects.filter(secret=secret, status=ParticipantCard.Status.ACTIVE)
        .select_related("participant__organization")
        .first()
    )


def card_named_by(text: str, *, organization) -> ParticipantCard | None:
    """The active card that `text` (its QR secret, its page's address or its typed short code)
    names, when its participant belongs to `organization` (an id or a subquery giving one): a
    card of another organisation is no card here. One query; the door and the proposal pages
    read a card the same way."""
    text = (text or "").strip()
    if not text or len(text) > MAX_CODE_TEXT:
        return None
    if code := normalize_short_code(text):
        lookup = {"short_code": code}
    else:
        match = _CARD_URL.search(text)
        lookup = {"secret": match.group(1) if match else text}
    return (
        ParticipantCard.objects.filter(
            status=ParticipantCard.Status.ACTIVE,
            participant__organization_id=organization,
            **lookup,
        )
        .select_related("participant")
        .first()
    )
