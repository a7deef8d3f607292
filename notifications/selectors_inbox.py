"""Reads for messages people send us: who wrote (the registration a phone belongs to) and the
organizers' inbox of one event."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Max, Q, Value, When
from django.utils import timezone

from events.models import Event, Registration

from .models import Channel, InboundMessage
from .tokens import recipient_hash

INBOX_LIMIT = 200
# WhatsApp accepts free text (not a template) this long after the person last wrote there.
WHATSAPP_WINDOW = datetime.timedelta(hours=24)


def registration_for_sender(*, phone: str, today: datetime.date) -> Registration | None:
    """The registration a reply from this phone is most likely about: among the registrations
    with this phone, upcoming events first, then the one we last sent a message to, then the
    newest. One query (the phone is indexed)."""
    hashes = [recipient_hash(channel, phone) for channel in (Channel.SMS, Channel.WHATSAPP)]
    return (
        Registration.objects.filter(phone=phone, personal_data_purged_at__isnull=True)
        .select_related("event")
        .annotate(
            upcoming=Case(
                When(event__end_date__gte=today, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            last_messaged=Max("messages__sent_at", filter=Q(messages__recipient_hash__in=hashes)),
        )
        .order_by("-upcoming", F("last_messaged").desc(nulls_last=True), "-created_at", "-id")
        .first()
    )


def reply_channel_for(*, registration: Registration, now=None) -> str:
    """WhatsApp inside the 24-hour window since the person last wrote there, otherwise SMS."""
    now = now or timezone.now()
    wrote_recently = InboundMessage.objects.filter(
        channel=Channel.WHATSAPP,
        sender_hash=recipient_hash(Channel.WHATSAPP, registration.phone),
        received_at__gte=now - WHATSAPP_WINDOW,
    ).exists()
    return Channel.WHATSAPP if wrote_recently else Channel.SMS


@dataclass
class InboxEntry:
    inbound: InboundMessage
    reply_channel: str  # where an answer would go now: whatsapp inside the window, else sms


def inbox_for_event(*, event: Event, now=None) -> list[InboxEntry]:
    """The event's received messages, those still waiting first, newest first; two queries
    whatever their number (the messages, then who wrote on WhatsApp in the last 24 hours)."""
    now = now or timezone.now()
    rows = list(
        InboundMessage.objects.filter(event=event)
        .select_related("registration", "reply", "handled_by")
        .order_by(F("handled_at").desc(nulls_first=True), "-received_at", "-id")[:INBOX_LIMIT]
    )
    wa_hashes = {
        row.pk: recipient_hash(Channel.WHATSAPP, row.registration.phone)
        for row in rows
        if row.registration_id and row.registration.phone
    }
    recent = set(
        InboundMessage.objects.filter(
            channel=Channel.WHATSAPP,
            sender_hash__in=set(wa_hashes.values()),
            received_at__gte=now - WHATSAPP_WINDOW,
        ).values_list("sender_hash", flat=True)
    )
    return [
        InboxEntry(row, Channel.WHATSAPP if wa_hashes.get(row.pk) in recent else Channel.SMS)
        for row in rows
    ]


def inbox_waiting_count(*, event: Event) -> int:
    return InboundMessage.objects.filter(event=event, handled_at__isnull=True).count()
