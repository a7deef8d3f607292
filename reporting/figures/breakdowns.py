"""Measures and their demographic breakdowns, built from the grouped cells of one query.

Every value of every dimension is listed, zero or not: 'other' and 'prefer not to say' are real
answers and are never dropped or merged. Every percentage carries the base it is computed on;
a zero base gives no percentage instead of a division by zero."""

import functools
from dataclasses import dataclass, field
from itertools import product

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.demographics import CHILD_AGE_BANDS, DIMENSIONS

# Measures that count people or attendances and so can be broken down by demographics.
DEMOGRAPHIC_MEASURES = (
    "attendances",
    "people_reached",
    "children_reached",
    "registered_people",
    "anonymous_visits",
    "returning_people",
    "regular_people",
    "first_time_people",
)
# Measures of participation, counted by the proposals app on totals (not per event or session).
PARTICIPATION_MEASURES = ("people_proposing", "people_endorsing")
# Measures a target's demographic share can apply to.
SHARE_MEASURES = (*DEMOGRAPHIC_MEASURES, *PARTICIPATION_MEASURES)


def measure_labels() -> dict[str, str]:
    """The column label of each demographic measure in the exported tables, in the active
    language."""
    return {
        "attendances": _("Attendances"),
        "people_reached": _("People reached"),
        "children_reached": _("Children reached"),
        "registered_people": _("Registered people (unique)"),
        "anonymous_visits": _(
            "Walk-ins and class headcounts (visits, may include repeat visitors)"
        ),
        "returning_people": _("Returning people (2+ events)"),
        "regular_people": _("Regular attendance"),
        "first_time_people": _("First-time people"),
    }


def participation_labels() -> dict[str, str]:
    return {
        "people_proposing": _("People who proposed"),
        "people_endorsing": _("People who endorsed a proposal"),
    }


CROSSINGS = (("gender", "age_band"), ("gender", "profile"), ("age_band", "profile"))
CHILD_BAND_VALUES = frozenset(str(band) for band in CHILD_AGE_BANDS)

ANONYMOUS_NOTE = _(
    "A registered person counts once across the programme, however many events and sessions "
    "they attend, and once after two records of them are merged. Walk-ins and class headcounts "
    "are anonymous: they count as visits, once in each session where they were recorded, and "
    "may include repeat visitors. People reached adds both."
)
PERSON_MEASURES_NOTE = _(
    "Returning people came to two or more events. Regular attendance: came to at least "
    "%(percent)s%% of the sessions held of an event with two or more sessions. First-time "
    "people: their first counted attendance in the programme falls in the period."
)
HELD_NOTE = _(
    "An event or session counts as held once at least one attendance is recorded for it. "
    "Voided admissions never count."
)


def percent(count: int, base: int) -> float | None:
    if not base:
        return None
    # Most crossings of a small group are empty: no division to round.
    return round(100 * count / base, 1) if count else 0.0


@dataclass(slots=True)
class Share:
    """One value of one dimension: e.g. 412 women out of 800 people reached, 51.5%."""

    value: str
    label: str
    count: int
    base: int
    percent: float | None


@dataclass(slots=True)
class Crossing:
    """One combination of two dimensions, e.g. girls (female × 12–17)."""

    values: dict[str, str]
    label: str
    count: int
    base: int
    percent: float | None


class _BuiltOnRead:
    """A breakdown's shares or crossings, built from its counts the first time they are read.

    A programme's report has a breakdown per measure for each of hundreds of events; the pages and
    exports read a few shares of each, the API and the consistency check all of them. Building
    every share and crossing up front cost most of a national programme's figures (about 190,000
    objects per call). Equality, `repr` and `dataclasses.asdict` read the attribute, so they see
    exactly what an eager breakdown held; the labels are those of the language active when the
    breakdown was made, as before."""

    def __init__(self, build):
        self.build = build

    def __set_name__(self, owner, name):
        self.slot = f"_{name}"

    def __get__(self, breakdown, owner=None):
        if breakdown is None:
            # The dataclass field's default: None means "build from the counts".
            return None
        value = breakdown.__dict__.get(self.slot)
        if value is None:
            value = self.build(breakdown)
            breakdown.__dict__[self.slot] = value
        return value

    def __set__(self, breakdown, value):
        breakdown.__dict__[self.slot] = value


def _shares_build(breakdown: "Breakdown") -> dict[str, list[Share]]:
    counts = breakdown.__dict__.get("_counts")
    if counts is None:
        return {}
    total = breakdown.total
    values = breakdown.__dict__["_labels"][0]
    shares = {}
    for dimension, index in POSITION.items():
        sums: dict[str, int] = {}
        for key, n in counts.items():
            sums[key[index]] = sums.get(key[index], 0) + n
        shares[dimension] = [
            Share(
                value=value,
                label=label,
                count=(n := sums.get(value, 0)),
                base=total,
                percent=percent(n, total),
            )
            for value, label in values[dimension]
        ]
    return shares


def _crossings_build(breakdown: "Breakdown") -> dict[str, list[Crossing]]:
    counts = breakdown.__dict__.get("_counts")
    if counts is None:
        return {}
    total = breakdown.total
    crossings = {}
    for first, second, triples in breakdown.__dict__["_labels"][1]:
        a_index, b_index = POSITION[first], POSITION[second]
        sums: dict[tuple, int] = {}
        for key, n in counts.items():
            pair = (key[a_index], key[b_index])
            sums[pair] = sums.get(pair, 0) + n
        crossings[f"{first}_x_{second}"] = [
            Crossing(
                values={first: a, second: b},
                label=label,
                count=(n := sums.get((a, b), 0)),
                base=total,
                percent=percent(n, total),
            )
            for a, b, label in triples
        ]
    return crossings


@dataclass
class Breakdown:
    """One measure split by gender, age band, profile and their crossings. Made from counts
    (`breakdown_from_counts`), the shares and crossings are built when first read."""

    measure: str
    total: int
    by_dimension: dict[str, list[Share]] = _BuiltOnRead(_shares_build)
    crossings: dict[str, list[Crossing]] = _BuiltOnRead(_crossings_build)

    def share(self, dimension: str, value: str) -> Share:
        return next(s for s in self.by_dimension[dimension] if s.value == value)

    def crossing(self, **values: str) -> Crossing:
        name = "_x_".join(values)
        return next(c for c in self.crossings[name] if c.values == values)


@dataclass
class Figures:
    attendances: int = 0
    # registered_people (distinct canonical participants) + anonymous_visits (walk-ins and class
    # headcounts, which may include the same person twice).
    people_reached: int = 0
    children_reached: int = 0
    registered_people: int = 0
    anonymous_visits: int = 0
    returning_people: int = 0
    regular_people: int = 0
    first_time_people: int = 0
    events_held: int = 0
    sessions_held: int = 0
    # Filled on totals only (see reports.py): distinct people, group proposals' people added.
    people_proposing: int = 0
    people_endorsing: int = 0
    breakdowns: dict[str, Breakdown] = field(default_factory=dict)

    def measure(self, name: str) -> int:
        return getattr(self, name)


def _cell_counts(cell: dict) -> tuple[int, ...]:
    """A cell's count of each of DEMOGRAPHIC_MEASURES, in that order."""
    registered = cell["registered_people"] or 0
    anonymous = cell["anonymous_people"] or 0
    reached = registered + anonymous
    return (
        cell["attendances"] or 0,
        reached,
        reached if cell["person_age_band"] in CHILD_BAND_VALUES else 0,
        registered,
        anonymous,
        cell["returning_people"] or 0,
        cell["regular_people"] or 0,
        cell["first_time_people"] or 0,
    )


@functools.lru_cache(maxsize=16)
def _label_tables(language: str | None) -> dict[bool, tuple[dict, list]]:
    """Every dimension's (value, label) pairs and every crossing's (a, b, label) triples in
    `language`, for children's measures (True: child age bands only) and the others. Built once
    per language: a report per event builds thousands of breakdowns from the same labels."""
    labels = {
        dimension: [(str(choice.value), str(choice.label)) for choice in choices]
        for dimension, choices in DIMENSIONS.items()
    }
    tables = {}
    for children in (False, True):
        values = dict(labels)
        if children:
            values["age_band"] = [
                pair for pair in labels["age_band"] if pair[0] in CHILD_BAND_VALUES
            ]
        crossings = [
            (
                first,
                second,
                [
                    (a, b, f"{a_label} · {b_label}")
                    for (a, a_label), (b, b_label) in product(values[first], values[second])
                ],
            )
            for first, second in CROSSINGS
        ]
        tables[children] = (values, crossings)
    return tables


def _choice_labels() -> dict[bool, tuple[dict, list]]:
    """The label tables of the active language."""
    return _label_tables(translation.get_language())


POSITION = {"gender": 0, "age_band": 1, "profile": 2}


def breakdown_from_counts(counts: dict[tuple, int], measure: str) -> Breakdown:
    """A measure's breakdown from its counts per (gender, age band, profile)."""
    # A copy: the shares are built from it later, whatever the caller does with its dict.
    return _breakdown_of(dict(counts), measure, _choice_labels())


def _breakdown_of(counts: dict[tuple, int], measure: str, labels: dict) -> Breakdown:
    breakdown = Breakdown(measure=measure, total=sum(counts.values()))
    # Not fields: the shares and crossings are built from these when first read.
    breakdown.__dict__["_counts"] = counts
    breakdown.__dict__["_labels"] = labels[measure == "children_reached"]
    return breakdown


def figures_from_cells(cells: list[dict], held: dict | None) -> Figures:
    """All measures and breakdowns of one group from its demographic cells and held counts."""
    labels = _choice_labels()
    # One pass over the cells counts every measure.
    counts: list[dict[tuple, int]] = [{} for _measure in DEMOGRAPHIC_MEASURES]
    for cell in cells:
        key = (cell["person_gender"], cell["person_age_band"], cell["person_profile"])
        for measure_counts, n in zip(counts, _cell_counts(cell), strict=True):
            if n:
                measure_counts[key] = measure_counts.get(key, 0) + n
    breakdowns = {
        measure: _breakdown_of(measure_counts, measure, labels)
        for measure, measure_counts in zip(DEMOGRAPHIC_MEASURES, counts, strict=True)
    }
    held = held or {}
    return Figures(
        **{measure: breakdowns[measure].total for measure in DEMOGRAPHIC_MEASURES},
        events_held=held.get("events_held") or 0,
        sessions_held=held.get("sessions_held") or 0,
        breakdowns=breakdowns,
    )
