"""Participant cards: issue, revoke, reissue.

A card names a participant of one organisation at every door of its events. The QR holds only the
card's secret (192 random bits, like a ticket's); the short code (Crockford `XXXX-XXXX`, as on
tickets) is what a volunteer types when the QR cannot be read.

Card and ticket short codes share one format, because the scanner's text field takes either.
They must never name two things: a card's code is drawn until it is neither another card's nor a
ticket's, and at the door a ticket is looked up first (its code was there before). A ticket drawn
later with an existing card's code is left to chance: 32^8 codes, so for a programme with a
thousand cards and a hundred thousand tickets about one chance in ten thousand; and the card is
reissued if it ever happens (the door would admit the ticket, never a stranger's card).

One active card per participant is a partial unique constraint; a reissue revokes the old card
and creates the new one in one transaction, so a lost card stops working the moment the new one
exists. Every change is audited (identifiers only)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.services import audit_record
from events.codes import new_short_code
from events.models import Ticket

from ..models import Participant, ParticipantCard, new_card_secret
from ..signals import card_issued

CODE_ATTEMPTS = 8


def _free_short_code() -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = new_short_code()
        if not (
            Ticket.objects.filter(short_code=code).exists()
            or ParticipantCard.objects.filter(short_code=code).exists()
        ):
            return code
    raise ApplicationError(
        _("Could not generate a unique card code; please try again."),
        code="code_generation_failed",
        status=409,
    )


def _card_create(participant: Participant) -> ParticipantCard:
    try:
        with transaction.atomic():
            return ParticipantCard.objects.create(
                participant=participant, secret=new_card_secret(), short_code=_free_short_code()
            )
    except IntegrityError as error:
        if ParticipantCard.objects.filter(
            participant=participant, status=ParticipantCard.Status.ACTIVE
        ).exists():
            raise ApplicationError(
                _("This participant already has an active card."), code="card_exists", status=409
            ) from error
        raise


def _canonical(participant: Participant) -> Participant:
    """Cards go to the participant figures count: a merged one's card is the kept one's."""
    if participant.merged_into_id:
        return Participant.objects.get(pk=participant.merged_into_id)
    return participant


def _locked(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().get(pk=participant.pk)


def card_issue(*, participant: Participant, actor) -> ParticipantCard:
    """A first card for `participant` (refused with 409 if one is active: reissue it instead)."""
    participant = _canonical(participant)
    with transaction.atomic():
        _locked(participant)
        if ParticipantCard.objects.filter(
            participant=participant, status=ParticipantCard.Status.ACTIVE
        ).exists():
            raise ApplicationError(
                _("This participant already has an active card."), code="card_exists", status=409
            )
        card = _card_create(participant)
        card_issued.send(sender=ParticipantCard, participant_id=participant.pk, card_id=card.pk)
        _audit(actor, "issue", card)
    return card


def _audit(actor, action: str, card: ParticipantCard, **detail) -> None:
    audit_record(
        actor=actor,
        action=f"participant_card.{action}",
        target=card,
        detail={"participant": card.participant_id, **detail},
    )


def _revoke(card: ParticipantCard) -> None:
    card.status = ParticipantCard.Status.REVOKED
    card.revoked_at = timezone.now()
    card.save(update_fields=["status", "revoked_at"])


def card_revoke(*, card: ParticipantCard, actor) -> ParticipantCard:
    """The card opens no door any more. Revoking a revoked card changes nothing."""
    with transaction.atomic():
        card = ParticipantCard.objects.select_for_update().get(pk=card.pk)
        if card.status == ParticipantCard.Status.REVOKED:
            return card
        _revoke(card)
        _audit(actor, "revoke", card)
    return card


def card_reissue(*, participant: Participant, actor) -> ParticipantCard:
    """A new card (new secret, new code) for a lost or stolen one: the active card is revoked in
    the same transaction. Also issues a first card when there is none."""
    participant = _canonical(participant)
    with transaction.atomic():
        _locked(participant)
        old_ids = []
        for card in ParticipantCard.objects.filter(
            participant=participant, status=ParticipantCard.Status.ACTIVE
        ):
            _revoke(card)
            old_ids.append(card.pk)
        card = _card_create(participant)
        card_issued.send(sender=ParticipantCard, participant_id=participant.pk, card_id=card.pk)
        _audit(actor, "reissue", card, revoked=old_ids)
    return card
