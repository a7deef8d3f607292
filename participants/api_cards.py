"""Staff API for participant cards: issue, reissue, revoke, read. Organizers of the participant's
organisation (and administrators) only; anyone else gets 404."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from core.auth import staff_auth
from core.errors import NotFound
from core.schemas import STAFF_ERRORS
from events.codes import format_short_code

from .models import ParticipantCard
from .selectors_cards import card_of_managed, participant_managed
from .services.cards import card_issue, card_reissue, card_revoke

router = Router(tags=["participant cards"], auth=staff_auth)


class CardOut(Schema):
    id: int
    participant_id: int
    short_code: str
    status: str
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    # The card page's address: a bearer link, handed to the participant only.
    page_path: str


def _out(card: ParticipantCard) -> CardOut:
    return CardOut(
        id=card.pk,
        participant_id=card.participant_id,
        short_code=format_short_code(card.short_code),
        status=card.status,
        issued_at=card.issued_at,
        revoked_at=card.revoked_at,
        page_path=f"/cards/{card.secret}/",
    )


def _active_card(request, participant_id: int) -> ParticipantCard:
    """The active card of a participant the user manages; 404 for someone else's or none."""
    card = card_of_managed(user=request.auth, participant_id=participant_id)
    if card is None:
        raise NotFound(_("This participant has no active card."))
    return card


@router.get("/participants/{participant_id}/card", response={200: CardOut, **STAFF_ERRORS})
def get_card(request, participant_id: int):
    return _out(_active_card(request, participant_id))


@router.post("/participants/{participant_id}/card", response={201: CardOut, **STAFF_ERRORS})
def issue_card(request, participant_id: int):
    participant = participant_managed(user=request.auth, participant_id=participant_id)
    return Status(201, _out(card_issue(participant=participant, actor=request.auth)))


@router.post("/participants/{participant_id}/card/reissue", response={201: CardOut, **STAFF_ERRORS})
def reissue_card(request, participant_id: int):
    participant = participant_managed(user=request.auth, participant_id=participant_id)
    return Status(201, _out(card_reissue(participant=participant, actor=request.auth)))


@router.post("/participants/{participant_id}/card/revoke", response={200: CardOut, **STAFF_ERRORS})
def revoke_card(request, participant_id: int):
    return _out(card_revoke(card=_active_card(request, participant_id), actor=request.auth))
