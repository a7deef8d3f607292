"""Falling back to the person's next channel (WhatsApp → SMS → e-mail, from the one they
preferred) when a message could not reach them: the provider said it is undeliverable (the
`message_undeliverable` signal, from the receipts webhooks or from a permanent refusal at send
time), or it was accepted but no delivery receipt came within the purpose's deadline (the sweep,
settings.NOTIFICATIONS_FALLBACK_AFTER_MINUTES).

Guarantees: a message falls back at most once, whoever asks and however often (the original row is
locked while its fallback is written, and a unique constraint on fallback_of backs it); each
channel carries the message at most once in a chain, since a fallback only goes to a channel not
used yet; nothing falls back once the session or the event is over, and nothing goes to a
channel the person does not allow."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Ticket
from notifications.models import Channel, Message, Purpose
from notifications.rendering import session_start

from .channels import Recipient, channel_order, registration_channels
from .outbox import messages_dispatch
from .scheduling import _schedule_rendered, event_settings

logger = logging.getLogger(__name__)

FALLS_BACK_FROM = (Message.Status.SENT, Message.Status.FAILED)
# Channels whose providers report delivery: an e-mail is never "delivered", so the sweep never
# takes an e-mail for lost.
RECEIPT_CHANNELS = (Channel.WHATSAPP, Channel.SMS)
# How long after its deadline the sweep still looks at a late message (the beat was down …).
SWEEP_HORIZON = datetime.timedelta(days=1)


def _chain(message: Message) -> list[Message]:
    """The message and the ones it replaces, newest first (a chain has at most three)."""
    chain = [message]
    while chain[-1].fallback_of_id and len(chain) < len(Channel.values) + 1:
        chain.append(Message.objects.get(pk=chain[-1].fallback_of_id))
    return chain


def _is_over(message: Message, now) -> bool:
    event = message.event
    if event is None or event.end_date < timezone.localdate(now):
        return True
    return message.session is not None and session_start(message.session) <= now


def next_recipient(message: Message) -> tuple[Recipient, str] | None:
    """The next channel for this message and the idempotency key of its fallback there, or None."""
    registration = message.registration
    chain = _chain(message)
    root = chain[-1]
    used = {m.channel for m in chain}
    order = channel_order(registration)
    after = order[order.index(message.channel) + 1 :] if message.channel in order else []
    stem = root.idempotency_key.rsplit(":", 1)[0]
    allowed = registration_channels(
        registration, event_settings(message.event), purpose=message.purpose
    )
    for recipient in allowed:
        if recipient.channel in used or recipient.channel not in after:
            continue
        # A registration without a preference got every channel already: nothing to add there.
        if Message.objects.filter(idempotency_key=f"{stem}:{recipient.channel}").exists():
            continue
        return recipient, f"{root.idempotency_key}>{recipient.channel}"
    return None


def message_fall_back(*, message_id: int, reason: str, now=None) -> Message | None:
    """The fallback of this message on the next channel, created and dispatched if it is due;
    the existing one if it was made before; None when there is no next channel or it is too late."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("registration__event", "event", "session", "ticket")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status not in FALLS_BACK_FROM:
            return None
        existing = message.fallbacks.first()
        if existing is not None:
            return existing
        if message.registration is None or message.purpose == Purpose.REPLY:
            return None
        if _is_over(message, now):
            return None
        found = next_recipient(message)
        if found is None:
            return None
        recipient, key = found
        group = None
        group_ids = (message.payload or {}).get("group_tickets")
        if group_ids:
            tickets = Ticket.objects.filter(pk__in=group_ids, status=Ticket.Status.VALID)
            group = list(
                tickets.select_related("attendee", "event").order_by("-attendee__is_contact", "id")
            )
        fallback = _schedule_rendered(
            key=key,
            purpose=message.purpose,
            registration=message.registration,
            recipient=recipient,
            scheduled_at=now,
            ticket=message.ticket,
            session=message.session,
            offset=message.offset_minutes,
            with_feedback=message.purpose == Purpose.THANK_YOU,
            group_tickets=group,
            fallback_of=message,
        )
        logger.info(
            "message %s falls back to %s as %s (%s)",
            message.pk,
            recipient.channel,
            fallback.pk,
            reason[:100],
        )
        messages_dispatch(ids=[fallback.pk])
    return fallback


def messages_fallback_due(*, now=None) -> list[int]:
    """Messages accepted by a provider that reports delivery, still not delivered after their
    purpose's deadline, not fallen back yet, for an event that is not over."""
    now = now or timezone.now()
    due = []
    for purpose, minutes in settings.NOTIFICATIONS_FALLBACK_AFTER_MINUTES.items():
        rows = Message.objects.filter(
            status=Message.Status.SENT,
            purpose=purpose,
            channel__in=RECEIPT_CHANNELS,
            sent_at__lte=now - datetime.timedelta(minutes=minutes),
            # A horizon, so that a message with no next channel is not looked at forever.
            sent_at__gte=now - datetime.timedelta(minutes=minutes) - SWEEP_HORIZON,
            # Without a preference every channel was used at once: nothing to fall back to.
            registration__preferred_channel__gt="",
            event__end_date__gte=timezone.localdate(now),
            fallbacks__isnull=True,
        )
        due.extend(rows.values_list("pk", flat=True))
    return due


def messages_fallback_sweep(*, now=None) -> int:
    """The beat's pass: each late message goes by the next channel (at most once, see above)."""
    now = now or timezone.now()
    made = 0
    for message_id in messages_fallback_due(now=now):
        fallback = message_fall_back(message_id=message_id, reason="not delivered in time", now=now)
        made += fallback is not None
    return made
