"""The programme or event a staff user asked figures for, or 404 when it is outside their scope
(an organizer of another NGO learns nothing, not even that it exists). Shared by pages, API and
exports so they cannot disagree."""

import datetime
import re

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.models import Organization
from core.permissions import scope_events, scope_programmes
from events.models import Event, EventKind, Programme
from reporting.selectors import FigureFilters


def programme_for_figures(user, programme_id: int) -> Programme:
    return get_object_or_404(scope_programmes(user, Programme.objects.all()), pk=programme_id)


def event_for_figures(user, event_id: int) -> Event:
    return get_object_or_404(
        scope_events(user, Event.objects.select_related("programme")), pk=event_id
    )


QUARTER_PATTERN = re.compile(r"^(?P<year>\d{4})-?[Qq](?P<quarter>[1-4])$")


def quarter_dates(value: str) -> tuple[datetime.date, datetime.date]:
    """'2026-Q3' -> 1 July 2026 .. 30 September 2026."""
    match = QUARTER_PATTERN.match(value.strip())
    if match is None:
        raise ApplicationError(
            _("Give a quarter as YYYY-Qn, for example 2026-Q3."),
            code="invalid_quarter",
            field_errors={"quarter": [value]},
        )
    year, quarter = int(match["year"]), int(match["quarter"])
    start = datetime.date(year, 3 * quarter - 2, 1)
    next_start = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


# The filters' names, as the dashboards' query string and the API's query parameters spell them.
FILTER_PARAMETERS = ("date_from", "date_to", "kind", "quarter", "city", "school", "organization")


def figure_filters(
    *,
    date_from: datetime.date | str | None,
    date_to: datetime.date | str | None,
    kind: str | None,
    quarter: str | None = None,
    city: str | None = None,
    school: str | None = None,
    organization: int | str | None = None,
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
    if quarter:
        if start or end:
            raise ApplicationError(
                _("Give either a quarter or dates, not both."), code="invalid_period"
            )
        start, end = quarter_dates(quarter)
    if start and end and start > end:
        raise ApplicationError(_("The period must start before it ends."), code="invalid_period")
    if kind and kind not in EventKind.values:
        raise ApplicationError(_("Unknown event kind."), code="invalid_kind")
    organization_id = None
    if organization not in (None, ""):
        try:
            organization_id = int(organization)
        except (TypeError, ValueError):
            raise ApplicationError(
                _("Unknown organisation."), code="invalid_organization"
            ) from None
        if not Organization.objects.filter(pk=organization_id).exists():
            raise ApplicationError(_("Unknown organisation."), code="invalid_organization")
    return FigureFilters(
        date_from=start,
        date_to=end,
        kind=kind or None,
        city=(city or "").strip() or None,
        school=(school or "").strip() or None,
        organization_id=organization_id,
    )
