"""Figures for a programme or an event, overall and per grouping level.

Query budget, whatever the number of rows: 2 for the totals (1 when a level groups whole
events: their held counts add up), 2 per grouping level asked for,
for a programme 1 for its targets and 1 for its de-duplication rate, and 3 for the proposals
(reporting/figures/participation.py)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import DateField, F
from django.db.models.functions import Cast, TruncMonth, TruncQuarter
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import EventKind

from .breakdowns import ANONYMOUS_NOTE, HELD_NOTE, PERSON_MEASURES_NOTE, Figures, figures_from_cells
from .participation import (
    Participation,
    ProposalFigures,
    participation_apply,
    participation_for,
    participation_grouped_for,
    participation_summary,
)
from .scope import (
    DEFAULT_REGULAR_PERCENT,
    FigureFilters,
    counted_attendances,
    deduplication,
    demographic_cells,
    held_counts,
)
from .tallied import (
    figures_transaction,
    held_rows,
    reach_answers,
    reach_cells,
    tallied_cells,
    tallies_kept,
)
from .targets import TargetProgress, target_progress


def _localized_title(row: dict) -> str:
    language = (translation.get_language() or "fr")[:2]
    if language in ("ar", "en"):
        return row.get(f"g_title_{language}") or row["g_title"]
    return row["g_title"]


def _session_label(row: dict) -> str:
    name = row["g_session_title"] or row["g_school"] or _localized_title(row)
    when = formats.date_format(row["g_date"], "SHORT_DATE_FORMAT")
    return f"{name} — {when} {row['g_start']:%H:%M}"


def _quarter_label(row: dict) -> str:
    day = row["g_quarter"]
    return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


@dataclass(frozen=True)
class Level:
    """A way of grouping: the columns grouped on (the first is the key) and how to name a group."""

    name: str
    columns: dict
    label: object
    sort: object = None
    # The key is a column of the event: per-ticket tallies can be grouped on it.
    per_event: bool = False


LEVELS = {
    level.name: level
    for level in [
        Level(
            "session",
            {
                "g_session": F("session_id"),
                "g_date": F("session__date"),
                "g_start": F("session__start_time"),
                "g_session_title": F("session__title"),
                "g_school": F("session__school_name"),
                "g_event": F("event_id"),
                "g_title": F("event__title"),
                "g_title_ar": F("event__title_ar"),
                "g_title_en": F("event__title_en"),
            },
            _session_label,
            lambda row: (row["g_date"], row["g_start"], row["g_session"]),
        ),
        Level(
            "event",
            {
                "g_event": F("event_id"),
                "g_event_start": F("event__start_date"),
                "g_title": F("event__title"),
                "g_title_ar": F("event__title_ar"),
                "g_title_en": F("event__title_en"),
            },
            _localized_title,
            lambda row: (row["g_event_start"], row["g_event"]),
            per_event=True,
        ),
        Level(
            "kind",
            {"g_kind": F("event__kind")},
            lambda row: str(EventKind(row["g_kind"]).label),
            per_event=True,
        ),
        Level(
            "venue",
            {"g_venue": F("session__venue_id"), "g_venue_name": F("session__venue__name")},
            lambda row: row["g_venue_name"],
        ),
        Level(
            "school",
            {"g_school": F("session__school_name")},
            lambda row: row["g_school"] or _("(not a school session)"),
        ),
        Level(
            "organizer",
            {
                "g_organizer": F("event__organizer_id"),
                "g_organizer_name": F("event__organizer__name"),
            },
            lambda row: row["g_organizer_name"],
            per_event=True,
        ),
        Level(
            "month",
            {"g_month": TruncMonth("session__date")},
            lambda row: formats.date_format(row["g_month"], "YEAR_MONTH_FORMAT"),
            lambda row: row["g_month"],
        ),
        Level(
            "quarter",
            {"g_quarter": TruncQuarter("session__date")},
            _quarter_label,
            lambda row: row["g_quarter"],
        ),
    ]
}


@dataclass
class GroupFigures:
    level: str
    key: str
    label: str
    figures: Figures
    # For a session: the event it belongs to, so tables can nest sessions under events.
    parent_key: str = ""


def _key(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _key_expression(expression):
    """The group key as the cells query returns it: a truncated date stays a date."""
    if isinstance(expression, TruncMonth | TruncQuarter):
        return Cast(expression, DateField())
    return expression


@dataclass(frozen=True)
class Scope:
    """What is counted (a programme or an event, and filters), the programme whose whole history
    decides first-time people (None when that history is the scope itself), what regular
    attendance means, and where the figures are read from: the tallies the database keeps
    (`tallies`, the default) or every counted attendance row (`rows`, the recomputation the
    consistency check compares with)."""

    programme: object = None
    event: object = None
    filters: FigureFilters = FigureFilters()
    history_programme: object = None
    regular_percent: object = DEFAULT_REGULAR_PERCENT
    source: str = "tallies"

    @property
    def queryset(self):
        return counted_attendances(programme=self.programme, event=self.event, filters=self.filters)

    @property
    def tallied(self) -> bool:
        return self.source == "tallies" and tallies_kept()

    def cells(self, key=None, *, per_event: bool = True, level: str | None = None) -> list[dict]:
        """The demographic cells of the totals (`level` None) or of a grouping level."""
        if self.tallied and reach_answers(self, level):
            return reach_cells(self, level)
        if self.tallied:
            return tallied_cells(self, key, per_event=per_event)
        history = None
        if self.history_programme is not None:
            history = counted_attendances(programme=self.history_programme)
        return demographic_cells(
            self.queryset, history=history, key=key, regular_percent=self.regular_percent
        )

    def held(self, group_by: dict | None = None) -> list[dict]:
        rows = held_rows(self) if self.tallied else self.queryset
        return held_counts(rows, group_by=group_by)


def figures_by_level(scope: Scope, level_name: str) -> list[GroupFigures]:
    level = LEVELS[level_name]
    key_column = next(iter(level.columns))
    grouped_cells: dict = defaultdict(list)
    cells = scope.cells(
        _key_expression(level.columns[key_column]), per_event=level.per_event, level=level_name
    )
    for cell in cells:
        grouped_cells[_key(cell["g_key"])].append(cell)
    # Labels (and events and sessions held) from the ORM, which converts dates and times.
    rows = scope.held(level.columns)
    rows.sort(key=level.sort or (lambda row: level.label(row)))
    return [
        GroupFigures(
            level=level_name,
            key=_key(row[key_column]),
            label=str(level.label(row)),
            figures=figures_from_cells(grouped_cells[_key(row[key_column])], row),
            parent_key=_key(row["g_event"]) if level_name == "session" else "",
        )
        for row in rows
    ]


def _figures(scope: Scope, levels) -> tuple[Figures, dict[str, list[GroupFigures]]]:
    unknown = [name for name in levels if name not in LEVELS]
    if unknown:
        raise ValueError(f"Unknown grouping level(s): {', '.join(unknown)}")
    groups = {name: figures_by_level(scope, name) for name in dict.fromkeys(levels)}
    totals = figures_from_cells(scope.cells(), _totals_held(scope, groups))
    return totals, groups


def _totals_held(scope: Scope, groups: dict[str, list[GroupFigures]]) -> dict:
    """Events and sessions held in the totals. A level that puts each event in one group (per
    event, kind or organiser) has counted them already: every held event is in exactly one group
    and every held session with its event, so its groups add up to the totals, one query less."""
    for name, rows in groups.items():
        if LEVELS[name].per_event:
            return {
                "events_held": sum(row.figures.events_held for row in rows),
                "sessions_held": sum(row.figures.sessions_held for row in rows),
            }
    return scope.held()[0]


def _notes(regular_percent) -> list[str]:
    return [
        str(ANONYMOUS_NOTE),
        str(PERSON_MEASURES_NOTE) % {"percent": f"{regular_percent.normalize():f}"},
        str(HELD_NOTE),
    ]


def _regular_percent(programme) -> object:
    return getattr(programme, "regular_attendance_percent", None) or DEFAULT_REGULAR_PERCENT


@dataclass
class Deduplication:
    """'1,204 registrations → 918 people': how many people the registrations really are."""

    registrations: int
    registered_attendees: int
    distinct_participants: int
    text: str


def _deduplication(programme) -> Deduplication:
    counts = deduplication(programme=programme)
    registrations = counts["registrations"]
    people = counts["distinct_participants"]
    text = ngettext(
        "%(registrations)s registration → %(people)s",
        "%(registrations)s registrations → %(people)s",
        registrations,
    ) % {
        "registrations": formats.number_format(registrations, force_grouping=True),
        "people": ngettext("%(count)s person", "%(count)s people", people)
        % {"count": formats.number_format(people, force_grouping=True)},
    }
    return Deduplication(
        registrations=registrations,
        registered_attendees=counts["registered_attendees"],
        distinct_participants=people,
        text=text,
    )


@dataclass
class ProgrammeFigures:
    programme_id: int
    filters: dict
    totals: Figures
    targets: list[TargetProgress]
    deduplication: Deduplication
    regular_percent: float
    groups: dict[str, list[GroupFigures]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    participation: Participation | None = None
    # True when filters apply: the totals' participation measures are then zeros.
    participation_filtered: bool = False


@dataclass
class EventFigures:
    event_id: int
    filters: dict
    totals: Figures
    regular_percent: float
    groups: dict[str, list[GroupFigures]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    participation: Participation | None = None
    # True when filters apply: the totals' participation measures are then zeros.
    participation_filtered: bool = False


def figures_for_programme(
    *,
    programme,
    filters: FigureFilters | None = None,
    levels=("event",),
    source: str = "tallies",
) -> ProgrammeFigures:
    """Totals, groupings and target progress of a programme. Targets are always measured on the
    unfiltered programme (a donor target covers the whole programme); the rest follows filters.
    `source`: see `Scope`."""
    filters = filters or FigureFilters()
    regular_percent = _regular_percent(programme)
    # Unfiltered, the scope is the programme's whole history: the query reads it once.
    scope = Scope(
        programme=programme,
        filters=filters,
        history_programme=None if filters == FigureFilters() else programme,
        regular_percent=regular_percent,
        source=source,
    )
    with figures_transaction():
        totals, groups = _figures(scope, levels)
        if filters == FigureFilters():
            overall = totals
        else:
            whole = Scope(programme=programme, regular_percent=regular_percent, source=source)
            overall, _unused = _figures(whole, ())
        # Proposals are not filtered by sessions, places or dates: they join the totals only
        # when the report covers the whole programme, and always the figures targets are
        # measured on.
        proposals = participation_for(programme=programme)
        grouped = participation_grouped_for(programme=programme)
        participation_apply(overall, proposals)
        if overall is not totals:  # zeros: proposals are not filtered
            participation_apply(totals, ProposalFigures())
        targets = target_progress(programme=programme, figures=overall)
        counts = _deduplication(programme)
    return ProgrammeFigures(
        programme_id=programme.pk,
        filters=filters.as_dict(),
        totals=totals,
        targets=targets,
        deduplication=counts,
        regular_percent=float(regular_percent),
        groups=groups,
        notes=_notes(regular_percent),
        participation=participation_summary(proposals, grouped),
        participation_filtered=overall is not totals,
    )


def figures_for_event(
    *,
    event,
    filters: FigureFilters | None = None,
    levels=("session",),
    source: str = "tallies",
) -> EventFigures:
    """An event's figures; first-time people are those whose first attendance in the whole
    programme is at this event."""
    filters = filters or FigureFilters()
    regular_percent = _regular_percent(event.programme)
    scope = Scope(
        event=event,
        filters=filters,
        history_programme=event.programme_id,
        regular_percent=regular_percent,
        source=source,
    )
    with figures_transaction():
        totals, groups = _figures(scope, levels)
        proposals = participation_for(event=event)
        grouped = participation_grouped_for(event=event)
    filtered = filters != FigureFilters()
    participation_apply(totals, ProposalFigures() if filtered else proposals)
    return EventFigures(
        event_id=event.pk,
        filters=filters.as_dict(),
        totals=totals,
        regular_percent=float(regular_percent),
        groups=groups,
        notes=_notes(regular_percent),
        participation=participation_summary(proposals, grouped),
        participation_filtered=filtered,
    )
