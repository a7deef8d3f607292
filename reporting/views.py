"""Organizer pages for the figures: programme and event dashboards and their exports. Thin:
authorize, parse filters, call the selectors, render."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.permissions import can_manage_event, is_staff_member
from core.replica import reporting_reads
from events.models import EventKind
from reporting import donor_table, exports
from reporting.access import (
    FILTER_PARAMETERS,
    event_for_figures,
    figure_filters,
    programme_for_figures,
)
from reporting.presentation import participation_rows, people_lines, pyramid, share_bars
from reporting.selectors import figures_for_event, figures_for_programme, partner_organizations

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_page(view):
    """Login required; then only people with an organizer role (objects are scoped on top)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return HttpResponseBadRequest(str(exc.message))

    return wrapper


def _filters(request):
    return figure_filters(**{name: request.GET.get(name) for name in FILTER_PARAMETERS})


def _charts(figures, report) -> dict:
    people = figures.breakdowns["people_reached"]
    return {
        "people_lines": people_lines(figures, regular_percent=report.regular_percent),
        "pyramid": pyramid(people),
        "children_pyramid": pyramid(figures.breakdowns["children_reached"]),
        "gender_bars": share_bars(people.by_dimension["gender"], "gender"),
        "profile_bars": share_bars(people.by_dimension["profile"], "profile"),
        "participation_rows": [] if report.participation_filtered else participation_rows(figures),
    }


@staff_page
@reporting_reads()
def programme_dashboard(request, programme_id: int):
    programme = programme_for_figures(request.user, programme_id)
    filters = _filters(request)
    report = figures_for_programme(
        programme=programme, filters=filters, levels=("event", "kind", "month")
    )
    return render(
        request,
        "reporting/programme_dashboard.html",
        {
            "programme": programme,
            "report": report,
            "totals": report.totals,
            "filters": filters,
            "kinds": EventKind.choices,
            "organizations": partner_organizations(programme=programme),
            "query": request.GET.urlencode(),
            **_charts(report.totals, report),
        },
    )


@staff_page
@reporting_reads()
def event_dashboard(request, event_id: int):
    event = event_for_figures(request.user, event_id)
    report = figures_for_event(event=event)
    by_session = {group.key: group.figures for group in report.groups["session"]}
    sessions = [(session, by_session.get(str(session.pk))) for session in event.sessions.all()]
    today = timezone.localdate()
    return render(
        request,
        "reporting/event_dashboard.html",
        {
            "event": event,
            "report": report,
            "totals": report.totals,
            "sessions": sessions,
            "live": event.start_date <= today <= event.end_date,
            "api_url": reverse("api-v1:event_figures", kwargs={"event_id": event.pk}),
            "can_export_list": can_manage_event(request.user, event),
            **_charts(report.totals, report),
        },
    )


DONOR_OPTIONS = ("hxl", "shared", "age_bands", "by")
YES = ("1", "true", "yes", "on")


def _donor_options(request) -> dict:
    """?hxl=1, ?shared=1 (the suppressed form partners get), ?age_bands=six|unhcr,
    ?by=event|session. Unknown values are a 400."""
    level = request.GET.get("by") or "event"
    age_bands = request.GET.get("age_bands") or "six"
    if level not in donor_table.DONOR_LEVELS:
        raise ApplicationError(_("Unknown grouping for this export."), code="invalid_level")
    if age_bands not in donor_table.AGE_SCHEMES:
        raise ApplicationError(_("Unknown age bands: use six or unhcr."), code="invalid_age_bands")
    return {
        "hxl": request.GET.get("hxl", "").lower() in YES,
        "shared": request.GET.get("shared", "").lower() in YES,
        "age_bands": age_bands,
        "level": level,
    }


def _donor_export(request, programme, file_format: str) -> tuple[bytes, str]:
    options = _donor_options(request)
    report = figures_for_programme(
        programme=programme, filters=_filters(request), levels=(options["level"],)
    )
    columns = donor_table.donor_columns(report, age_bands=options["age_bands"])
    rows = donor_table.donor_rows(
        report,
        programme=programme,
        level=options["level"],
        age_bands=options["age_bands"],
        shared=options["shared"],
    )
    if file_format == "csv":
        return exports.donor_csv(columns, rows, hxl=options["hxl"]), "text/csv; charset=utf-8"
    notes = [
        *donor_table.donor_notes(
            programme=programme, shared=options["shared"], age_bands=options["age_bands"]
        ),
        *report.notes,
    ]
    body = exports.donor_xlsx(
        columns,
        rows,
        hxl=options["hxl"],
        title=programme.name,
        filters=report.filters,
        notes=notes,
        report=report,
        threshold=programme.small_number_threshold if options["shared"] else None,
    )
    return body, XLSX_TYPE


@staff_page
@reporting_reads()
def programme_figures_export(request, programme_id: int, file_format: str):
    programme = programme_for_figures(request.user, programme_id)
    stem = f"{slugify(programme.code)}-figures-{timezone.localdate():%Y%m%d}"
    if any(option in request.GET for option in DONOR_OPTIONS):
        body, content_type = _donor_export(request, programme, file_format)
        if request.GET.get("shared", "").lower() in YES:
            stem += "-shared"
    else:
        report = figures_for_programme(
            programme=programme, filters=_filters(request), levels=("event", "session")
        )
        if file_format == "xlsx":
            body, content_type = exports.figures_xlsx(report, title=programme.name), XLSX_TYPE
        else:
            body, content_type = exports.figures_csv(report), "text/csv; charset=utf-8"
    # ASCII file name whatever the language: some browsers mangle encoded header values.
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


@staff_page
@reporting_reads()
def event_attendance_list_export(request, event_id: int):
    event = event_for_figures(request.user, event_id)
    if not can_manage_event(request.user, event):  # pragma: no cover - scoping already hides it
        raise PermissionDenied
    body = exports.attendance_list_export(event=event, actor=request.user)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response
