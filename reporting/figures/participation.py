"""Participation measures (people who proposed, people who endorsed a proposal) added to a
report's totals, from the proposals app's figures, with their demographic breakdowns and the
proposals per theme. Two more measures for targets ("1,000 people propose", "at least 50%
women") with the same gap arithmetic as attendance measures."""

from dataclasses import dataclass, field

from proposals.selectors import ProposalFigures, proposal_figures

from .breakdowns import Breakdown, Figures, breakdown_from_counts
from .participation_groups import PROPOSAL_LEVELS, group_rows, proposal_figures_grouped

__all__ = [
    "Participation",
    "ProposalFigures",
    "participation_apply",
    "participation_for",
    "participation_grouped_for",
    "participation_summary",
]


@dataclass
class ThemeRow:
    key: str
    label: str
    proposals: int
    people: Breakdown


@dataclass
class ParticipationGroup:
    """The proposal figures of one event or one month."""

    level: str
    key: str
    label: str
    proposals: int
    group_proposals: int
    endorsements: int
    people_proposing: Breakdown
    people_endorsing: Breakdown
    themes: list[ThemeRow] = field(default_factory=list)


@dataclass
class Participation:
    proposals: int
    group_proposals: int
    endorsements: int
    themes: list[ThemeRow] = field(default_factory=list)
    # Per event and per month (PROPOSAL_LEVELS), in order.
    groups: dict[str, list[ParticipationGroup]] = field(default_factory=dict)


def participation_for(*, programme=None, event=None) -> ProposalFigures:
    return proposal_figures(programme=programme, event=event)


def participation_grouped_for(*, programme=None, event=None) -> dict[str, list[tuple]]:
    """Level -> [(key, label, ProposalFigures)] for each event and month with proposals."""
    grouped = proposal_figures_grouped(programme=programme, event=event)
    return {
        level: [(key, label, grouped[level][key]) for key, label in group_rows(level, keys)]
        for level, keys in ((level, grouped[level].keys()) for level in PROPOSAL_LEVELS)
    }


def _themes(proposals: ProposalFigures) -> list[ThemeRow]:
    return [
        ThemeRow(
            key=theme.key,
            label=theme.label,
            proposals=theme.proposals,
            people=breakdown_from_counts(theme.people, "people_proposing"),
        )
        for theme in proposals.themes
    ]


def _group(level: str, key, label: str, proposals: ProposalFigures) -> ParticipationGroup:
    return ParticipationGroup(
        level=level,
        key=key.isoformat() if hasattr(key, "isoformat") else str(key),
        label=label,
        proposals=proposals.proposals,
        group_proposals=proposals.group_proposals,
        endorsements=proposals.endorsements,
        people_proposing=breakdown_from_counts(proposals.proposing, "people_proposing"),
        people_endorsing=breakdown_from_counts(proposals.endorsing, "people_endorsing"),
        themes=_themes(proposals),
    )


def participation_apply(figures: Figures, proposals: ProposalFigures) -> None:
    """Set the participation measures and breakdowns of `figures` (a report's totals)."""
    for measure, counts in (
        ("people_proposing", proposals.proposing),
        ("people_endorsing", proposals.endorsing),
    ):
        breakdown = breakdown_from_counts(counts, measure)
        setattr(figures, measure, breakdown.total)
        figures.breakdowns[measure] = breakdown


def participation_summary(proposals: ProposalFigures, grouped: dict | None = None) -> Participation:
    return Participation(
        proposals=proposals.proposals,
        group_proposals=proposals.group_proposals,
        endorsements=proposals.endorsements,
        themes=_themes(proposals),
        groups={
            level: [_group(level, key, label, figures) for key, label, figures in rows]
            for level, rows in (grouped or {}).items()
        },
    )
