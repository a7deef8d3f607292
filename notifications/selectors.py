"""Reads for the organizer's view of an event's messages and feedback."""

from collections import Counter

from django.db.models import Avg, Count

from events.models import Event

from .models import Channel, FeedbackAnswer, Message


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
