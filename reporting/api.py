"""Figures API: aggregates only, for staff, scoped to the programmes and events they organize."""

from ninja import Query, Router

from core.auth import staff_auth
from core.replica import reporting_reads
from core.schemas import error_responses
from reporting.access import (
    FILTER_PARAMETERS,
    event_for_figures,
    figure_filters,
    programme_for_figures,
)
from reporting.knowledge_checks import knowledge_checks_for_programme
from reporting.schemas import (
    EventFiguresOut,
    FiguresQuery,
    KnowledgeCheckOut,
    KnowledgeChecksQuery,
    ProgrammeFiguresOut,
)
from reporting.selectors import figures_for_event, figures_for_programme

router = Router(tags=["reporting"], auth=staff_auth)
ERRORS = error_responses(400, 401, 403, 404)
# The operation ids clients were generated with before the figures moved out of attendance.
PROGRAMME_FIGURES_ID = "attendance_figures_api_programme_figures"
EVENT_FIGURES_ID = "attendance_figures_api_event_figures"


def _filters(query: FiguresQuery):
    return figure_filters(**query.dict(include=set(FILTER_PARAMETERS)))


@router.get(
    "/programmes/{programme_id}/figures",
    response={200: ProgrammeFiguresOut, **ERRORS},
    operation_id=PROGRAMME_FIGURES_ID,
)
@reporting_reads()
def programme_figures(request, programme_id: int, query: Query[FiguresQuery]):
    programme = programme_for_figures(request.auth, programme_id)
    filters = _filters(query)
    return figures_for_programme(
        programme=programme, filters=filters, levels=query.by or ("event",)
    )


@router.get(
    "/events/{event_id}/figures",
    response={200: EventFiguresOut, **ERRORS},
    operation_id=EVENT_FIGURES_ID,
)
@reporting_reads()
def event_figures(request, event_id: int, query: Query[FiguresQuery]):
    event = event_for_figures(request.auth, event_id)
    filters = _filters(query)
    return figures_for_event(event=event, filters=filters, levels=query.by or ("session",))


@router.get(
    "/programmes/{programme_id}/knowledge-checks",
    response={200: list[KnowledgeCheckOut], **ERRORS},
)
def programme_knowledge_checks(request, programme_id: int, query: Query[KnowledgeChecksQuery]):
    """Results of the programme's knowledge checks, per question set version; `shared=true`
    gives the copy for partners and donors, small numbers suppressed."""
    programme = programme_for_figures(request.auth, programme_id)
    return knowledge_checks_for_programme(programme=programme, shared=query.shared)
