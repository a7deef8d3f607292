"""The organizer's follow-up report of the previous forum: build a version, preview what each
partner contact receives (the e-mail; the PDF and page in each language), confirm to send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.models import Language

from .followup_delivery import (
    FOLLOWUP,
    followup_pdf_attachment,
    followup_recipients,
    followup_release,
    followup_report_build,
)
from .followup_report import followup_html_render
from .models import FollowupReport
from .partner_delivery import document_preview_context
from .views import _managed_forum
from .views_summary import attachment_inline


def _report(request, event_id: int, report_id: int):
    event = _managed_forum(request, event_id)
    return event, get_object_or_404(FollowupReport, pk=report_id, event=event)


@login_required
@require_POST
def followup_report_new(request, event_id: int):
    event = _managed_forum(request, event_id)
    try:
        report = followup_report_build(event=event, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("forums:manage", event_id=event.pk)
    return redirect("forums:followup_report_preview", event_id=event.pk, report_id=report.pk)


def _preview_context(event, report, *, error=None) -> dict:
    context = document_preview_context(
        FOLLOWUP, event, report, followup_recipients(report), error=error
    )
    return {**context, "report": report, "languages": Language.values}


@login_required
def followup_report_preview(request, event_id: int, report_id: int):
    event, report = _report(request, event_id, report_id)
    return render(request, "forums/followup_report_preview.html", _preview_context(event, report))


@login_required
def followup_report_document(request, event_id: int, report_id: int, language: str, kind: str):
    _event, report = _report(request, event_id, report_id)
    if language not in Language.values:
        raise Http404
    if kind != "html":
        return attachment_inline(followup_pdf_attachment(report, language=language))
    response = HttpResponse(
        followup_html_render(
            report.data, language=language, style_nonce=getattr(request, "csp_nonce", "")
        )
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def followup_report_send(request, event_id: int, report_id: int):
    event, report = _report(request, event_id, report_id)
    try:
        followup_release(
            report_id=report.pk, previewed_sha256=request.POST.get("sha256", ""), user=request.user
        )
    except ApplicationError as exc:
        context = _preview_context(event, report, error=exc.message)
        return render(request, "forums/followup_report_preview.html", context, status=exc.status)
    count = followup_recipients(report).count()
    messages.success(
        request,
        ngettext(
            "Follow-up report sent: %(count)s partner contact is being e-mailed.",
            "Follow-up report sent: %(count)s partner contacts are being e-mailed.",
            count,
        )
        % {"count": count},
    )
    return redirect("forums:manage", event_id=event.pk)
