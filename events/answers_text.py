"""The answers' figures in words, for the organizer's home and the event's messages page:
"Confirmed for tomorrow: 84 of 120 people." and "Cancelled by reply: 3 people."."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.selectors.registrations import AnswerFigures


def answer_lines(figures: AnswerFigures, *, today: datetime.date) -> list[str]:
    lines = []
    if figures.session is not None and figures.expected:
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
