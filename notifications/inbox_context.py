"""What the event's messages page shows of people's replies: the answers' figures for the next
session ("Confirmed for tomorrow: 84 of 120 people") and the inbox."""

from django.utils import timezone

from events.answers_text import answer_lines
from events.selectors.registrations import event_answer_figures

from .selectors_inbox import inbox_for_event


def inbox_context(*, event, today=None) -> dict:
    return {
        "answers": answers_lines(event=event, today=today),
        "inbox": inbox_for_event(event=event),
    }


def answers_lines(*, event, today=None) -> list[str]:
    today = today or timezone.localdate()
    return answer_lines(event_answer_figures(event=event, today=today), today=today)
