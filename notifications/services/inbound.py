"""What people write to us by SMS or WhatsApp, once stored: STOP opts out of that channel, yes
confirms attendance, no cancels the registration (the waiting list moves), anything else waits in
the organizers' inbox. The guarantees:

- a message is stored once per provider id (unique constraint): a webhook the provider sends
  again, even twice at the same instant, is acted on once;
- what the message does (opt-out, confirmation, cancellation, the automatic answer) commits in
  the same transaction as the stored row, so a crash leaves either both or neither;
- an automatic answer goes out only when the message changed something, so two automatic
  responders can never keep answering each other;
- only the keyed hash of the phone is stored; an answer goes to the phone in hand (the request)
  or to the matched registration's.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.phones import phone_to_e164
from events.models import EventStatus
from events.services.answers import (
    AnswerOutcome,
    registration_confirm_attendance,
    registration_decline,
)
from notifications import keywords
from notifications.models import Channel, InboundMessage, Message, Purpose, Suppression
from notifications.selectors_inbox import registration_for_sender, reply_channel_for
from notifications.tokens import recipient_hash

from .opt_out import is_suppressed, suppression_add
from .outbox import message_schedule, messages_dispatch

logger = logging.getLogger(__name__)

INBOUND_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
MAX_TEXT = 1600
STOP_SOURCES = {
    Channel.SMS: Suppression.Source.SMS_STOP,
    Channel.WHATSAPP: Suppression.Source.WHATSAPP_STOP,
}


@dataclass(frozen=True)
class InboundResult:
    inbound: InboundMessage
    created: bool  # False: a replay of a provider id already stored
    outcome: str  # what the message did: stopped, confirmed, cancelled, inbox, ...


def inbound_phone_clean(phone: str) -> str:
    """E.164 of the sender. Providers (and WhatsApp) often send the international number without
    its "+" ("212612345678"), which would otherwise read as a long local number."""
    phone = (phone or "").strip()
    candidates = [phone, f"+{phone}"] if phone.isdigit() and len(phone) > 10 else [phone]
    for candidate in candidates:
        try:
            cleaned = phone_to_e164(candidate)
        except ValidationError:
            continue
        break
    else:
        raise ApplicationError(_("Unknown sender number."), code="invalid_sender")
    if not cleaned:
        raise ApplicationError(_("Unknown sender number."), code="invalid_sender")
    return cleaned


def inbound_receive(
    *, channel: str, phone: str, text: str, provider_id: str, received_at=None
) -> InboundResult:
    """Store one message a person sent and act on it. Raises ApplicationError (400) for input no
    provider should send: an unknown channel, an invalid number, no id, an over-long text."""
    if channel not in INBOUND_CHANNELS:
        raise ApplicationError(_("Unknown channel."), code="invalid_channel")
    phone = inbound_phone_clean(phone)
    provider_id = (provider_id or "").strip()
    if not provider_id or len(provider_id) > 200 or "\x00" in provider_id:
        raise ApplicationError(
            _("The message id is missing or longer than 200 characters."), code="invalid_id"
        )
    text = text or ""
    if len(text) > MAX_TEXT or "\x00" in text:
        raise ApplicationError(
            _("The text must be at most %(max)d characters, without NUL characters.")
            % {"max": MAX_TEXT},
            code="invalid_text",
        )
    received_at = received_at or timezone.now()
    action = keywords.keyword_of(text)
    with transaction.atomic():
        registration = registration_for_sender(phone=phone, today=timezone.localdate())
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    channel=channel,
                    sender_hash=recipient_hash(channel, phone),
                    text=text,
                    provider_id=provider_id,
                    received_at=received_at,
                    action=action,
                    registration=registration,
                    event_id=registration.event_id if registration else None,
                )
        except IntegrityError:
            # The same provider id again (a retried webhook), possibly at the same instant: the
            # unique constraint made the other request's row the only one; it acts, we do not.
            existing = InboundMessage.objects.get(channel=channel, provider_id=provider_id)
            return InboundResult(existing, created=False, outcome="replay")
        outcome = _act(inbound, phone=phone)
    logger.info("inbound %s message %s: %s", channel, inbound.pk, outcome)
    return InboundResult(inbound, created=True, outcome=outcome)


def _act(inbound: InboundMessage, *, phone: str) -> str:
    registration = inbound.registration
    if inbound.action == InboundMessage.Action.STOP:
        already = is_suppressed(channel=inbound.channel, hashed_recipient=inbound.sender_hash)
        suppression_add(
            channel=inbound.channel,
            hashed_recipient=inbound.sender_hash,
            source=STOP_SOURCES[inbound.channel],
        )
        if not already:
            _answer(inbound, phone=phone, purpose=Purpose.OPT_OUT_ACK)
        return _handled(inbound, "stopped")
    if registration is None or inbound.action == InboundMessage.Action.NONE:
        return "inbox" if registration else "unmatched"
    event = registration.event
    if event.status != EventStatus.PUBLISHED or event.end_date < timezone.localdate():
        # A "non" to a thank-you after the event, or about a cancelled event, changes no ticket
        # (the figures of a past event stay as they are): a person reads it.
        return "inbox"
    if inbound.action == InboundMessage.Action.CONFIRM:
        outcome = registration_confirm_attendance(registration=registration)
    else:
        outcome = registration_decline(registration=registration)
    if outcome == AnswerOutcome.NO_PLACE:
        # Someone on the waiting list (or already cancelled) says yes: a person should answer.
        return "inbox"
    if outcome in (AnswerOutcome.CONFIRMED, AnswerOutcome.CANCELLED):
        _answer(inbound, phone=phone, purpose=Purpose.REPLY, outcome=outcome)
    return _handled(inbound, str(outcome))


def _handled(inbound: InboundMessage, outcome: str) -> str:
    inbound.handled_at = timezone.now()
    inbound.save(update_fields=["handled_at", "reply"])
    return outcome


def _answer(inbound: InboundMessage, *, phone: str, purpose: str, outcome=None) -> None:
    """The automatic short answer, on the channel the person wrote on, in their language."""
    registration = inbound.registration
    language = registration.language if registration else settings.LANGUAGE_CODE[:2]
    with translation.override(language):
        event = registration.event.display_title if registration else ""
        if purpose == Purpose.OPT_OUT_ACK:
            body = _("Multaqa: you will receive no more messages here.")
        elif outcome == AnswerOutcome.CONFIRMED:
            body = _("Multaqa: thank you, your attendance at %(event)s is confirmed.") % {
                "event": event
            }
        else:
            body = _(
                "Multaqa: your registration for %(event)s is cancelled. Thank you for telling us."
            ) % {"event": event}
    message, _created = message_schedule(
        idempotency_key=f"reply:in{inbound.pk}",
        channel=inbound.channel,
        recipient=phone,
        language=language,
        purpose=purpose,
        subject="",
        body=body,
        scheduled_at=timezone.now(),
        event=registration.event if registration else None,
        registration=registration,
    )
    inbound.reply = message
    messages_dispatch(ids=[message.pk])


MAX_REPLY = 640


def inbox_reply(*, inbound: InboundMessage, text: str, user, now=None) -> Message:
    """An organizer's answer to a message in the inbox: once per message (a second click, or a
    colleague answering at the same time, gets a clear refusal), through the outbox."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text or len(text) > MAX_REPLY or "\x00" in text:
        raise ApplicationError(
            _("Write an answer of at most %(max)d characters.") % {"max": MAX_REPLY},
            code="invalid_reply",
        )
    with transaction.atomic():
        inbound = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("registration__event")
            .get(pk=inbound.pk)
        )
        if inbound.reply_id:
            raise ApplicationError(
                _("This message has already been answered."), code="already_answered", status=409
            )
        registration = inbound.registration
        if registration is None or not registration.phone:
            raise ApplicationError(
                _("There is no phone number to answer to."), code="no_recipient", status=409
            )
        channel = reply_channel_for(registration=registration, now=now)
        if is_suppressed(
            channel=channel, hashed_recipient=recipient_hash(channel, registration.phone)
        ):
            raise ApplicationError(
                _("This person asked to receive no more messages on this channel."),
                code="opted_out",
                status=409,
            )
        message, _created = message_schedule(
            idempotency_key=f"reply:in{inbound.pk}",
            channel=channel,
            recipient=registration.phone,
            language=registration.language,
            purpose=Purpose.REPLY,
            subject="",
            body=text,
            scheduled_at=now,
            event=registration.event,
            registration=registration,
        )
        inbound.reply, inbound.handled_at, inbound.handled_by = message, now, user
        inbound.save(update_fields=["reply", "handled_at", "handled_by"])
        messages_dispatch(ids=[message.pk])
    return message


def inbox_mark_handled(*, inbound: InboundMessage, user, now=None) -> InboundMessage:
    """Nothing to answer (a thank-you, say): the message leaves the list of those waiting."""
    InboundMessage.objects.filter(pk=inbound.pk, handled_at__isnull=True).update(
        handled_at=now or timezone.now(), handled_by=user
    )
    inbound.refresh_from_db()
    return inbound


def inbound_forget_registrations(*, registration_ids: list[int]) -> int:
    """For the personal-data purge: the texts and sender hashes of these registrations go."""
    return InboundMessage.objects.filter(registration_id__in=registration_ids).update(
        text="", sender_hash=""
    )


def inbound_forget_unmatched(*, now=None) -> int:
    """Messages matched to no registration are kept only so long (no event's retention applies)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NOTIFICATIONS_INBOUND_UNMATCHED_DAYS)
    deleted, _rows = InboundMessage.objects.filter(
        registration__isnull=True, received_at__lt=cutoff
    ).delete()
    # The answers that went to those numbers (an opt-out's confirmation) forget them too.
    Message.objects.filter(
        registration__isnull=True,
        purpose__in=[Purpose.REPLY, Purpose.OPT_OUT_ACK],
        created_at__lt=cutoff,
    ).exclude(status=Message.Status.SENDING).exclude(recipient="").update(
        recipient="", body="", provider_id=""
    )
    return deleted
