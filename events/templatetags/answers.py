"""{{ figures|answer_lines:today }}: the answers' figures of an event in words (events.answers_text)."""

from django import template

from events.answers_text import answer_lines as lines_of

register = template.Library()


@register.filter
def answer_lines(figures, today) -> list[str]:
    return lines_of(figures, today=today) if figures is not None else []
