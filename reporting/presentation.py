"""Turns figures into what the dashboard templates draw: bar widths, the gender × age pyramid.
No queries here; everything comes from the figures already computed."""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import ngettext

from core.demographics import AgeBand, Gender


@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: float | None
    width: float  # % of the widest bar in the chart, so small numbers stay visible


def _width(count: int, largest: int) -> float:
    return round(100 * count / largest, 1) if largest else 0.0


def share_bars(shares, dimension: str) -> list[Bar]:
    largest = max((share.count for share in shares), default=0)
    return [
        Bar(
            f"{dimension}:{share.value}",
            share.label,
            share.count,
            share.percent,
            _width(share.count, largest),
        )
        for share in shares
    ]


def pyramid(breakdown) -> dict:
    """Rows of age bands, oldest first, with one bar per gender (all four, none merged)."""
    crossings = breakdown.crossings["gender_x_age_band"]
    largest = max((c.count for c in crossings), default=0)
    by_values = {(c.values["gender"], c.values["age_band"]): c for c in crossings}
    rows = []
    for band in reversed(AgeBand):
        if (Gender.FEMALE.value, band.value) not in by_values:
            continue  # the children breakdown only has child bands
        cells = []
        for gender in Gender:
            crossing = by_values[(gender.value, band.value)]
            cells.append(
                Bar(
                    f"{gender.value}:{band.value}",
                    str(gender.label),
                    crossing.count,
                    crossing.percent,
                    _width(crossing.count, largest),
                )
            )
        rows.append({"label": str(band.label), "cells": cells})
    return {"genders": [str(g.label) for g in Gender], "rows": rows, "base": breakdown.total}


def people_lines(figures, *, regular_percent: float) -> list[tuple[str, int, str]]:
    """(measure, count, sentence) for the people measures, labelled for what they count: each
    registered person once, anonymous rows as visits that may include repeat visitors."""
    percent = f"{regular_percent:g}"
    lines = [
        (
            "registered_people",
            ngettext(
                "Registered people: %(count)s, counted once",
                "Registered people: %(count)s unique, each counted once",
                figures.registered_people,
            ),
        ),
        (
            "anonymous_visits",
            ngettext(
                "Walk-ins and class headcounts: %(count)s visit, may include repeat visitors",
                "Walk-ins and class headcounts: %(count)s visits, may include repeat visitors",
                figures.anonymous_visits,
            ),
        ),
        (
            "returning_people",
            ngettext(
                "%(count)s returning person (two or more events)",
                "%(count)s returning people (two or more events)",
                figures.returning_people,
            ),
        ),
        (
            "regular_people",
            ngettext(
                "%(count)s person attending regularly (at least %(percent)s%% of an event's "
                "sessions)",
                "%(count)s people attending regularly (at least %(percent)s%% of an event's "
                "sessions)",
                figures.regular_people,
            ),
        ),
        (
            "first_time_people",
            ngettext(
                "%(count)s first-time person",
                "%(count)s first-time people",
                figures.first_time_people,
            ),
        ),
    ]
    return [
        (
            measure,
            figures.measure(measure),
            text
            % {
                "count": formats.number_format(figures.measure(measure), force_grouping=True),
                "percent": percent,
            },
        )
        for measure, text in lines
    ]


def participation_rows(figures) -> list[tuple[str, str, int, int]]:
    """(dimension, label, people who proposed, people who endorsed) for every value of every
    dimension; empty when the figures carry no participation (a filtered report)."""
    proposing = figures.breakdowns.get("people_proposing")
    endorsing = figures.breakdowns.get("people_endorsing")
    if proposing is None or endorsing is None:
        return []
    return [
        (dimension, share.label, share.count, other.count)
        for dimension, shares in proposing.by_dimension.items()
        for share, other in zip(shares, endorsing.by_dimension[dimension], strict=True)
    ]
