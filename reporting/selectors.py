"""Reporting's public reads: the figures (measures, breakdowns, groupings, target progress;
computed in reporting/figures) and the choices of the figures' filters. Other apps (forums)
read figures through this module only."""

from django.db.models import Q, QuerySet

from core.models import Organization

from .figures import (
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

__all__ = [
    "LEVELS",
    "EventFigures",
    "FigureFilters",
    "Figures",
    "GroupFigures",
    "ProgrammeFigures",
    "TargetProgress",
    "counted_attendances",
    "figures_for_event",
    "figures_for_programme",
    "partner_organizations",
    "target_progress",
]


def partner_organizations(*, programme) -> QuerySet[Organization]:
    """Organisations that organised or co-organised an event of the programme: the choices of
    the figures' partner filter."""
    return (
        Organization.objects.filter(
            Q(organized_events__programme=programme) | Q(co_organized_events__programme=programme)
        )
        .distinct()
        .order_by("name")
    )
