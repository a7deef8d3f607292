"""The proposals sheet of the figures workbooks: people who proposed and who endorsed, and the
proposers of each theme, each by gender, age band and profile; then the same for each event and
each month. Exact for the organizer's
workbook; in the workbook shared with partners every row goes through the one suppression rule
(small figures hidden, and those that would give them away)."""

from django.utils.translation import gettext as _

from core.demographics import DIMENSIONS
from reporting.figures.breakdowns import participation_labels
from reporting.suppression import marginals_shown


def _marginals(breakdown) -> tuple[int, dict[str, dict[str, int]]]:
    return breakdown.total, {
        dimension: {share.value: share.count for share in shares}
        for dimension, shares in breakdown.by_dimension.items()
    }


def participation_header() -> list[str]:
    header = [_("Proposals"), _("total")]
    for choices in DIMENSIONS.values():
        header.extend(str(choice.label) for choice in choices)
    return header


def _group_rows(participation, labels) -> list[tuple]:
    """The same rows for each event and each month (proposals by theme included)."""
    prefixes = {"event": _("Event: %(name)s"), "month": _("Month: %(name)s")}
    named = []
    for level, prefix in prefixes.items():
        for group in participation.groups.get(level, []):
            name = prefix % {"name": group.label}
            named.append((f"{name} — {labels['people_proposing']}", group.people_proposing))
            named.append((f"{name} — {labels['people_endorsing']}", group.people_endorsing))
            named += [
                (f"{name} — " + _("Theme: %(theme)s") % {"theme": theme.label}, theme.people)
                for theme in group.themes
            ]
    return named


def participation_table(report, *, threshold: int | None = None) -> list[list]:
    """Rows under `participation_header()`; empty when the report carries no participation (a
    filtered one). `threshold` set: suppressed as partners may see it."""
    breakdowns = report.totals.breakdowns
    if report.participation_filtered or "people_proposing" not in breakdowns:
        return []
    labels = participation_labels()
    named = [(str(labels[m]), breakdowns[m]) for m in ("people_proposing", "people_endorsing")]
    named += [
        (_("Theme: %(theme)s") % {"theme": theme.label}, theme.people)
        for theme in report.participation.themes
    ]
    named += _group_rows(report.participation, labels)
    rows = []
    for label, breakdown in named:
        total, marginals = _marginals(breakdown)
        if threshold is not None:
            total, marginals = marginals_shown(total, marginals, threshold=threshold)
        rows.append([label, total, *(v for counts in marginals.values() for v in counts.values())])
    return rows
