"""Attendance figures: the measures (defined once), their demographic breakdowns, the groupings
(per session, event, kind, venue, school, organiser, month, quarter) and progress against
programme targets. Everything is aggregated by the database with a fixed number of queries.

Public entry points are re-exported by `reporting.selectors`."""

from .breakdowns import Breakdown, Crossing, Figures, Share
from .reports import (
    LEVELS,
    EventFigures,
    GroupFigures,
    ProgrammeFigures,
    figures_for_event,
    figures_for_programme,
)
from .scope import FigureFilters, counted_attendances
from .targets import TargetProgress, target_progress

__all__ = [
    "LEVELS",
    "Breakdown",
    "Crossing",
    "EventFigures",
    "FigureFilters",
    "Figures",
    "GroupFigures",
    "ProgrammeFigures",
    "Share",
    "TargetProgress",
    "counted_attendances",
    "figures_for_event",
    "figures_for_programme",
    "target_progress",
]
