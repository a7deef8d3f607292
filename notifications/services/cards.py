"""Sending a participant their card's link.

The address is the one the person gave at their most recent registration holding one for the
channel (a phone for SMS, an e-mail address for e-mail; registrations made at the door hold
neither), and only when that registration consented to be contacted and the address has not
opted out: an older registration is never used to get round a withdrawn consent. The text is in
the participant's preferred language and carries the card page's link and short code, never a
name. One message per card and channel (idempotency key): sending again queues nothing more; a
reissued card is a new card and gets its own message."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from events.codes import format_short_code
from events.models import Registration
from notifications.models import Channel, Message, Purpose
from notifications.rendering import absolute_url, opt_out_url, render_for
from notifications.tokens import recipient_hash
from participants.models import ParticipantCard

from .opt_out import is_suppressed
from .outbox import message_schedule, messages_dispatch


def _refused(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, status=409)


def card_contact_registration(*, card: ParticipantCard, channel: str) -> Registration | None:
    """The most recent registration of the card's person (or of anyone merged into them) that
    holds an address for the channel, with personal data still there."""
    person = card.participant.canonical_id
    has_address = ~Q(phone="") if channel == Channel.SMS else ~Q(email="")
    return (
        Registration.objects.filter(
            Q(members__participant_link__participant_id=person)
            | Q(members__participant_link__participant__merged_into_id=person),
            has_address,
            personal_data_purged_at__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def participant_card_send(*, card: ParticipantCard, channel: str) -> Message:
    """Queue the card's link to its person on `channel` (sms or email) and dispatch it after the
    transaction commits. Refused (409) for a revoked card, without an address, without consent,
    or to an address that opted out."""
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."), code="invalid", status=422)
    card = ParticipantCard.objects.select_related("participant").get(pk=card.pk)
    if card.status != ParticipantCard.Status.ACTIVE:
        raise _refused(_("This card is revoked: send the new card instead."), "card_revoked")
    registration = card_contact_registration(card=card, channel=channel)
    if registration is None:
        raise _refused(_("No address for this channel is known for this person."), "no_address")
    if not registration.consent_contact:
        raise _refused(_("This person did not agree to be contacted."), "no_consent")
    address = registration.phone if channel == Channel.SMS else registration.email
    hashed = recipient_hash(channel, address)
    if is_suppressed(channel=channel, hashed_recipient=hashed):
        raise _refused(_("This person asked to receive no more messages."), "opted_out")
    participant = card.participant
    language = participant.preferred_language or registration.language
    context = {
        "card_url": absolute_url(
            reverse("participants_cards:card", kwargs={"secret": card.secret})
        ),
        "short_code": format_short_code(card.short_code),
        "opt_out_url": opt_out_url(channel, hashed),
    }
    subject, body = render_for(
        purpose=Purpose.PARTICIPANT_CARD,
        channel=channel,
        language=language,
        context=context,
        organization_id=participant.organization_id,
    )
    message, created = message_schedule(
        idempotency_key=f"participant_card:{card.pk}:{channel}",
        channel=channel,
        recipient=address,
        language=language,
        purpose=Purpose.PARTICIPANT_CARD,
        subject=subject,
        body=body,
        scheduled_at=timezone.now(),
        registration=registration,
    )
    if created:
        messages_dispatch(ids=[message.pk])
    return message
