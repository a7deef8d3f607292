"""Participation measures (people who proposed, people who endorsed a proposal) added to a
report's totals, from the proposals app's figures, with their demographic breakdowns and the
proposals per theme. Two more measures for targets ("1,000 people propose", "at least 50%
women") with the same gap arithmetic as attendance measures."""

from dataclasses import dataclass, field

from proposals.selectors import ProposalFigures, proposal_figures

from .breakdowns import Breakdown, Figures, breakdown_from_counts

__all__ = [
    "Participation",
    "ProposalFigures",
    "participation_apply",
    "participation_for",
    "participation_summary",
]


@dataclass
class ThemeRow:
    key: str
    label: str
    proposals: int
    people: Breakdown


@dataclass
class Participation:
    proposals: int
    group_proposals: int
    endorsements: int
    themes: list[ThemeRow] = field(default_factory=list)


def participation_for(*, programme=None, event=None) -> ProposalFigures:
    return proposal_figures(programme=programme, event=event)


def participation_apply(figures: Figures, proposals: ProposalFigures) -> None:
    """Set the participation measures and breakdowns of `figures` (a report's totals)."""
    for measure, counts in (
        ("people_proposing", proposals.proposing),
        ("people_endorsing", proposals.endorsing),
    ):
        breakdown = breakdown_from_counts(counts, measure)
        setattr(figures, measure, breakdown.total)
        figures.breakdowns[measure] = breakdown


def participation_summary(proposals: ProposalFigures) -> Participation:
    return Participation(
        proposals=proposals.proposals,
        group_proposals=proposals.group_proposals,
        endorsements=proposals.endorsements,
        themes=[
            ThemeRow(
                key=theme.key,
                label=theme.label,
                proposals=theme.proposals,
                people=breakdown_from_counts(theme.people, "people_proposing"),
            )
            for theme in proposals.themes
        ],
    )
