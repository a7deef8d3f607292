"""Delivery figures of an event's messages, per kind (purpose) and channel: how many went out,
were delivered, read, failed, or went out again on another channel. One query, whatever the
number of messages, kinds and channels.

"Sent" counts every message handed to a provider, including those the provider later reported
failed; the rates are over that number. A channel that does not report a state (e-mail reports
neither delivery nor reading, SMS no reading) has no figure for it rather than a false 0 %."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from events.models import Event

from .models import Channel, Message, Purpose

Status = Message.Status
HANDED_TO_PROVIDER = [Status.SENT, Status.DELIVERED, Status.READ, Status.FAILED]
REPORTS_DELIVERY = {Channel.SMS, Channel.WHATSAPP}
REPORTS_READING = {Channel.WHATSAPP}


def _rate(part: int | None, whole: int) -> int | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole)


@dataclass(frozen=True)
class DeliveryRow:
    purpose: str
    channel: str
    sent: int
    delivered: int | None
    read: int | None
    failed: int
    fell_back: int

    @property
    def purpose_label(self) -> str:
        return str(Purpose(self.purpose).label)

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)

    @property
    def delivered_rate(self) -> int | None:
        return _rate(self.delivered, self.sent)

    @property
    def read_rate(self) -> int | None:
        return _rate(self.read, self.sent)

    @property
    def failed_rate(self) -> int | None:
        return _rate(self.failed, self.sent)

    @property
    def fell_back_rate(self) -> int | None:
        return _rate(self.fell_back, self.sent)


def delivery_stats_for_event(*, event: Event) -> list[DeliveryRow]:
    """One row per kind and channel that has messages handed to a provider, in the order of the
    kinds and channels' declarations."""
    has_fallback = Exists(Message.objects.filter(fallback_of=OuterRef("pk")))
    rows = (
        Message.objects.filter(event=event, status__in=HANDED_TO_PROVIDER)
        .values("purpose", "channel")
        .annotate(
            sent=Count("pk"),
            delivered=Count("pk", filter=Q(status__in=[Status.DELIVERED, Status.READ])),
            read=Count("pk", filter=Q(status=Status.READ)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            fell_back=Count("pk", filter=Q(has_fallback)),
        )
        .order_by()
    )
    purposes, channels = list(Purpose.values), list(Channel.values)
    result = [
        DeliveryRow(
            purpose=row["purpose"],
            channel=row["channel"],
            sent=row["sent"],
            delivered=row["delivered"] if row["channel"] in REPORTS_DELIVERY else None,
            read=row["read"] if row["channel"] in REPORTS_READING else None,
            failed=row["failed"],
            fell_back=row["fell_back"],
        )
        for row in rows
        if row["purpose"] in purposes and row["channel"] in channels
    ]
    result.sort(key=lambda r: (purposes.index(r.purpose), channels.index(r.channel)))
    return result
