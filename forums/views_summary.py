"""The organizer's summary pages between closing a forum and the partners' inboxes: the preview
of what each partner contact will receive (the e-mail, and the PDF and page of its organisation
in its language, made by the functions that send them), then the confirmation that sends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.models import Language

from . import selectors
from .delivery import SUMMARY, summary_pdf_attachment, summary_release, summary_warnings
from .models import ForumSummary
from .partner_delivery import document_preview_context
from .views import _managed_forum
from .views_partners import summary_page_response


def _summary(request, event_id: int, summary_id: int):
    event = _managed_forum(request, event_id)
    return event, get_object_or_404(ForumSummary, pk=summary_id, event=event)


def _preview_context(event, summary, *, error=None, acknowledged=()) -> dict:
    contacts = selectors.summary_recipient_contacts(event=event)
    context = document_preview_context(SUMMARY, event, summary, contacts, error=error)
    documents = {
        (email["contact"].organization_id, email["language"]): email["contact"].organization
        for email in context["emails"]
    }
    return {
        **context,
        "summary": summary,
        "warnings": summary_warnings(summary),
        "acknowledged": set(acknowledged),
        "documents": [
            {"organization": organization, "language": language}
            for (_id, language), organization in documents.items()
        ],
    }


@login_required
def summary_preview(request, event_id: int, summary_id: int):
    event, summary = _summary(request, event_id, summary_id)
    return render(request, "forums/summary_preview.html", _preview_context(event, summary))


@login_required
def summary_preview_document(request, event_id: int, summary_id: int, kind: str):
    """One organisation's copy in one language, as its contacts get it: the attached PDF
    (opened in the browser) or the partner page."""
    event, summary = _summary(request, event_id, summary_id)
    wanted = request.GET.get("organization", "")
    # Compared as text among the forum's few partners: any other value is simply not found.
    organization = next(
        (
            org
            for org in selectors.forum_partner_organizations(event=event)
            if str(org.pk) == wanted
        ),
        None,
    )
    language = request.GET.get("language")
    if organization is None or language not in Language.values:
        raise Http404
    if kind != "pdf":
        return summary_page_response(
            request, summary, language=language, organization_id=organization.pk
        )
    return attachment_inline(
        summary_pdf_attachment(summary, language=language, organization_id=organization.pk)
    )


def attachment_inline(attachment) -> HttpResponse:
    """A document as a partner gets it attached, opened in the organizer's browser."""
    response = HttpResponse(attachment.content, content_type=attachment.mimetype)
    response["Content-Disposition"] = f'inline; filename="{attachment.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def summary_send(request, event_id: int, summary_id: int):
    event, summary = _summary(request, event_id, summary_id)
    acknowledged = request.POST.getlist("acknowledge")
    try:
        summary_release(
            summary_id=summary.pk,
            previewed_sha256=request.POST.get("sha256", ""),
            acknowledged=acknowledged,
            user=request.user,
        )
    except ApplicationError as exc:
        context = _preview_context(event, summary, error=exc.message, acknowledged=acknowledged)
        return render(request, "forums/summary_preview.html", context, status=exc.status)
    count = selectors.summary_recipient_contacts(event=event).count()
    messages.success(
        request,
        ngettext(
            "Summary version %(n)s sent: %(count)s partner contact is being e-mailed.",
            "Summary version %(n)s sent: %(count)s partner contacts are being e-mailed.",
            count,
        )
        % {"n": summary.number, "count": count},
    )
    return redirect("forums:manage", event_id=event.pk)
