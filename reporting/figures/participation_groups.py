"""The proposal figures of a report per event and per month: people who proposed, people who
endorsed and proposals by theme, each group counted like the whole (proposals.selectors: distinct
people through the participant link, merges followed; a group proposal's people as counted; a
person who proposed in two months counts in each month, as attendance months do).

An event is the one whose call the proposal answers; a month is the one (in the server's time
zone) when the proposal was made or the endorsement given. Three queries, whatever the number
of rows, plus one for the events' titles.

The loop below applies proposals.selectors' own helpers row by row; the per-event groups are
checked against `proposal_figures(event=…)` by the ground-truth tests, so the two cannot drift
apart unnoticed."""

from dataclasses import dataclass, field

from django.db.models import DateField, F, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, translation

from events.models import Event
from proposals.models import GroupCount, Proposal, ProposalEndorsement
from proposals.selectors import (
    COUNTED,
    PERSON_COLUMNS,
    ProposalFigures,
    Status,
    ThemeFigures,
    _add,
    _distinct_people,
    _scope_q,
)

PROPOSAL_LEVELS = ("event", "month")


def _group_expressions(level: str) -> tuple:
    """The group key of a proposal, of a group count and of an endorsement."""
    if level == "event":
        return F("call__event_id"), F("proposal__call__event_id"), F("proposal__call__event_id")
    month = {"output_field": DateField()}
    return (
        TruncMonth("created_at", **month),
        TruncMonth("proposal__created_at", **month),
        TruncMonth("created_at", **month),
    )


@dataclass
class _Group:
    figures: ProposalFigures = field(default_factory=ProposalFigures)
    themes: dict = field(default_factory=dict)
    theme_seen: dict = field(default_factory=dict)
    individual: list = field(default_factory=list)


def proposal_figures_grouped(*, level: str, programme=None, event=None) -> dict:
    """Group key (an event id, or the first day of a month) -> its ProposalFigures."""
    if level not in PROPOSAL_LEVELS:
        raise ValueError(f"Unknown proposal grouping: {level}")
    on_proposal, on_count, on_endorsement = _group_expressions(level)
    scope = {"programme": programme, "event": event}
    person = Coalesce(F("participant__merged_into_id"), F("participant_id"))
    proposals = (
        Proposal.objects.filter(_scope_q("", **scope), status__in=COUNTED)
        .annotate(person=person, theme_key=F("theme__name_fr"), g=on_proposal)
        .values(
            *PERSON_COLUMNS,
            "g",
            "source",
            "status",
            "theme_key",
            "theme__name_ar",
            "theme__name_en",
        )
        .order_by("created_at", "id")
    )
    counts = (
        GroupCount.objects.filter(_scope_q("proposal__", **scope), proposal__status__in=COUNTED)
        .values("gender", "age_band", "profile", theme_key=F("proposal__theme__name_fr"))
        .annotate(g=on_count, n=Sum("count"))
        .order_by()
    )
    endorsements = (
        ProposalEndorsement.objects.filter(_scope_q("proposal__", **scope))
        .annotate(person=person, g=on_endorsement)
        .values(*PERSON_COLUMNS, "g")
        .order_by("created_at", "id")
    )
    language = (translation.get_language() or "fr")[:2]
    groups: dict = {}
    for row in proposals:
        group = groups.setdefault(row["g"], _Group())
        key = row["theme_key"]
        if key not in group.themes:
            label = row.get(f"theme__name_{language}") if language in ("ar", "en") else ""
            group.themes[key] = ThemeFigures(key=key, label=label or key)
            group.theme_seen[key] = set()
        if row["status"] != Status.MERGED:  # a merged idea lives on in its target
            group.themes[key].proposals += 1
            group.figures.proposals += 1
        if row["source"] == Proposal.Source.GROUP:
            group.figures.group_proposals += row["status"] != Status.MERGED
            continue
        group.individual.append(row)
        _distinct_people([row], group.themes[key].people, group.theme_seen[key])
    for group in groups.values():
        _distinct_people(group.individual, group.figures.proposing, set())
    for row in counts:
        group = groups[row["g"]]  # a group count's proposal is in the rows above
        cell = (row["gender"], row["age_band"], row["profile"])
        _add(group.figures.proposing, cell, row["n"])
        _add(group.themes[row["theme_key"]].people, cell, row["n"])
    by_key: dict = {}
    for row in endorsements:
        by_key.setdefault(row["g"], []).append(row)
    for key, rows in by_key.items():
        figures = groups.setdefault(key, _Group()).figures
        figures.endorsements = len(rows)
        _distinct_people(rows, figures.endorsing, set())
    for group in groups.values():
        group.figures.themes = sorted(
            group.themes.values(), key=lambda theme: (-theme.proposals, theme.label)
        )
    return {key: group.figures for key, group in groups.items()}


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
