"""Reads for the organizer's view of an event's messages and feedback."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count

from events.models import Event, Session

from .models import Channel, FeedbackAnswer, Message, Purpose


def message_counts_for_event(*, event: Event) -> dict:
    """{status: {channel: n}} for every status and channel, zeros included."""
    counts = {status: dict.fromkeys(Channel.values, 0) for status in Message.Status.values}
    rows = Message.objects.filter(event=event).values("status", "channel").annotate(n=Count("id"))
    for row in rows:
        counts[row["status"]][row["channel"]] = row["n"]
    return counts


def message_failures_for_event(*, event: Event) -> list[tuple[str, str, int]]:
    """(channel, reason, count) for failed messages, most frequent first. No recipients shown."""
    rows = Message.objects.filter(event=event, status=Message.Status.FAILED).values_list(
        "channel", "last_error"
    )
    return [(channel, reason, n) for (channel, reason), n in Counter(rows).most_common()]


def feedback_summary_for_event(*, event: Event) -> dict:
    answers = FeedbackAnswer.objects.filter(event=event)
    stats = answers.aggregate(count=Count("id"), average=Avg("satisfaction"))
    distribution = dict.fromkeys(range(1, 6), 0)
    for row in answers.values("satisfaction").annotate(n=Count("id")):
        distribution[row["satisfaction"]] = row["n"]
    return {
        "count": stats["count"],
        "average": round(stats["average"], 2) if stats["average"] is not None else None,
        "distribution": distribution,
        "useful": list(answers.exclude(useful="").values_list("useful", flat=True)[:200]),
        "suggestions": list(
            answers.exclude(suggestions="").values_list("suggestions", flat=True)[:200]
        ),
    }


@dataclass
class PendingGroup:
    """Scheduled messages of one purpose, session and reminder offset: what the organizer picks
    from when sending early. People are counted by registration (or address), never named."""

    key: str
    purpose_label: str
    session: Session | None
    offset_minutes: int | None
    first_at: object
    due: bool
    message_ids: list[int] = field(default_factory=list)
    channels: Counter = field(default_factory=Counter)
    people: set = field(default_factory=set)

    @property
    def message_count(self) -> int:
        return len(self.message_ids)

    @property
    def people_count(self) -> int:
        return len(self.people)


def messages_pending_for_event(*, event: Event, now) -> list[PendingGroup]:
    """The event's scheduled messages grouped for the send-now page, soonest first. A group is
    `due` when all its messages' time has come (the dispatcher would send them anyway)."""
    rows = (
        Message.objects.filter(event=event, status=Message.Status.SCHEDULED)
        .select_related("session")
        .order_by("scheduled_at", "id")
    )
    groups: dict[str, PendingGroup] = {}
    for message in rows:
        key = f"{message.purpose}:{message.session_id or 0}:{message.offset_minutes or 0}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = PendingGroup(
                key=key,
                purpose_label=str(Purpose(message.purpose).label),
                session=message.session,
                offset_minutes=message.offset_minutes,
                first_at=message.scheduled_at,
                due=True,
            )
        group.message_ids.append(message.pk)
        group.channels[message.channel] += 1
        group.people.add(message.registration_id or message.recipient_hash)
        group.due = group.due and message.scheduled_at <= now
    return list(groups.values())


def pending_groups_people(groups: list[PendingGroup]) -> int:
    """People reached by these groups together (one person in two groups counts once)."""
    return len(set().union(*(group.people for group in groups)))


# What is sent to registrations and could go by WhatsApp: each needs an approved template per
# language, or it goes by the next channel.
WHATSAPP_PURPOSES = (
    Purpose.CONFIRMATION,
    Purpose.REMINDER,
    Purpose.RESCHEDULED,
    Purpose.CANCELLATION,
    Purpose.THANK_YOU,
    Purpose.MISSED_YOU,
)


def whatsapp_templates_missing(*, organization_ids=()) -> list[tuple[str, str]]:
    """(purpose label, language label) pairs with no active WhatsApp template that applies: none
    of the platform's, and none of the given organisations' own."""
    from django.db.models import Q

    from core.models import Language

    from .models import WhatsAppTemplate

    covered = set(
        WhatsAppTemplate.objects.filter(
            Q(organization__isnull=True) | Q(organization_id__in=list(organization_ids)),
            is_active=True,
        ).values_list("purpose", "language")
    )
    return [
        (purpose.label, language.label)
        for purpose in WHATSAPP_PURPOSES
        for language in Language
        if (purpose.value, language.value) not in covered
    ]
