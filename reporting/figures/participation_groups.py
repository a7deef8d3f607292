"""Labels and order of the proposal figures' groups per event and per month (the counting is
proposals.selectors.proposal_figures_grouped: distinct people in each group, as for the whole).
An event is the one whose call the proposal answers; a month is the one (in the server's time
zone) when the proposal was made or the endorsement given."""

from django.utils import formats, translation

from events.models import Event
from proposals.selectors import PROPOSAL_LEVELS, proposal_figures_grouped

__all__ = ["PROPOSAL_LEVELS", "group_rows", "proposal_figures_grouped"]


def group_rows(level: str, keys) -> list[tuple]:
    """(key, label) of each group, in order: months in time, events by date; labels in the
    active language (an event's title, a month's name)."""
    if level == "month":
        return [(key, formats.date_format(key, "YEAR_MONTH_FORMAT")) for key in sorted(keys)]
    language = (translation.get_language() or "fr")[:2]
    titles = (
        Event.objects.filter(pk__in=list(keys))
        .order_by("start_date", "pk")
        .values("pk", "title", "title_ar", "title_en")
    )
    return [
        (
            row["pk"],
            (row.get(f"title_{language}") if language in ("ar", "en") else "") or row["title"],
        )
        for row in titles
    ]
