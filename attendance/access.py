"""The programme or event a staff user asked figures for, or 404 when it is outside their scope
(an organizer of another NGO learns nothing, not even that it exists). Shared by pages, API and
exports so they cannot disagree."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from attendance.selectors import FigureFilters
from core.errors import ApplicationError
from core.permissions import scope_events, scope_programmes
from events.models import Event, EventKind, Programme


def programme_for_figures(user, programme_id: int) -> Programme:
    return get_object_or_404(scope_programmes(user, Programme.objects.all()), pk=programme_id)


def event_for_figures(user, event_id: int) -> Event:
    return get_object_or_404(
        scope_events(user, Event.objects.select_related("programme")), pk=event_id
    )


def figure_filters(
    *, date_from: datetime.date | str | None, date_to: datetime.date | str | None, kind: str | None
) -> FigureFilters:
    """Filters from a query string or API query; bad values are a 400, never a 500."""

    def as_date(value, name):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ApplicationError(
                _("Give dates as YYYY-MM-DD."), code="invalid_date", field_errors={name: [value]}
            )
        return parsed

    start, end = as_date(date_from, "date_from"), as_date(date_to, "date_to")
    if start and end and start > end:
        raise ApplicationError(_("The period must start before it ends."), code="invalid_period")
    if kind and kind not in EventKind.values:
        raise ApplicationError(_("Unknown event kind."), code="invalid_kind")
    return FigureFilters(date_from=start, date_to=end, kind=kind or None)
