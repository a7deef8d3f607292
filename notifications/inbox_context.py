"""What the event's messages page shows of people's replies: the answers' figures for the next
session ("Confirmed for tomorrow: 84 of 120 people") and the inbox."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.selectors.registrations import event_answer_figures

from .selectors_inbox import inbox_for_event


def inbox_context(*, event, today=None) -> dict:
    return {
        "answers": answers_lines(event=event, today=today),
        "inbox": inbox_for_event(event=event),
    }


def answers_lines(*, event, today=None) -> list[str]:
    today = today or timezone.localdate()
    figures = event_answer_figures(event=event, today=today)
    lines = []
    if figures.session is not None:
        days = (figures.session.date - today).days
        if days == 0:
            day = _("for today")
        elif days == 1:
            day = _("for tomorrow")
        else:
            day = _("for %(date)s") % {"date": date_format(figures.session.date, "j F")}
        lines.append(
            ngettext(
                "Confirmed %(day)s: %(confirmed)d of %(count)d person.",
                "Confirmed %(day)s: %(confirmed)d of %(count)d people.",
                figures.expected,
            )
            % {"day": day, "confirmed": figures.confirmed, "count": figures.expected}
        )
    if figures.declined:
        lines.append(
            ngettext(
                "Cancelled by reply: %(count)d person.",
                "Cancelled by reply: %(count)d people.",
                figures.declined,
            )
            % {"count": figures.declined}
        )
    return lines
