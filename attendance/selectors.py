"""Reads for attendance: the figures (measures, breakdowns, targets; see attendance/figures) and
the attendance list organizers may export."""

from django.db.models import QuerySet

from attendance.figures import (
    LEVELS,
    EventFigures,
    FigureFilters,
    Figures,
    GroupFigures,
    ProgrammeFigures,
    TargetProgress,
    counted_attendances,
    figures_for_event,
    figures_for_programme,
    target_progress,
)
from attendance.models import Attendance

__all__ = [
    "LEVELS",
    "EventFigures",
    "FigureFilters",
    "Figures",
    "GroupFigures",
    "ProgrammeFigures",
    "TargetProgress",
    "attendance_list_for_event",
    "counted_attendances",
    "figures_for_event",
    "figures_for_programme",
    "target_progress",
]


def attendance_list_for_event(*, event) -> QuerySet:
    """Counted attendance rows of one event with only what the list export shows."""
    return (
        Attendance.objects.filter(event=event, voided_at__isnull=True)
        .select_related("session__event", "ticket__attendee")
        .order_by("session__date", "session__start_time", "recorded_at", "id")
    )
