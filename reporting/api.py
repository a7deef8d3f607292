"""Figures API: aggregates only, for staff, scoped to the programmes and events they organize."""

from ninja import Query, Router

from attendance.access import event_for_figures, figure_filters, programme_for_figures
from attendance.figures_schemas import EventFiguresOut, FiguresQuery, ProgrammeFiguresOut
from attendance.selectors import figures_for_event, figures_for_programme
from core.auth import staff_auth
from events.schemas import ErrorOut

router = Router(tags=["figures"], auth=staff_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _filters(query: FiguresQuery):
    return figure_filters(
        date_from=query.date_from,
        date_to=query.date_to,
        kind=query.kind,
        quarter=query.quarter,
        city=query.city,
        school=query.school,
        organization=query.organization,
    )


@router.get("/programmes/{programme_id}/figures", response={200: ProgrammeFiguresOut, **ERRORS})
def programme_figures(request, programme_id: int, query: Query[FiguresQuery]):
    programme = programme_for_figures(request.auth, programme_id)
    filters = _filters(query)
    return figures_for_programme(
        programme=programme, filters=filters, levels=query.by or ("event",)
    )


@router.get("/events/{event_id}/figures", response={200: EventFiguresOut, **ERRORS})
def event_figures(request, event_id: int, query: Query[FiguresQuery]):
    event = event_for_figures(request.auth, event_id)
    filters = _filters(query)
    return figures_for_event(event=event, filters=filters, levels=query.by or ("session",))
