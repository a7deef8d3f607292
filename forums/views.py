"""Pages for the people in the room: rapporteurs (mobile), the organizer, the participant who
endorses from a phone, and the screen that shows the QR code. Views parse and authorize; the
services decide."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.code_entry import CodeEntry
from core.errors import ApplicationError
from core.forms import chosen, form_service_call, posted_action_call
from core.middleware import csp_for_stored_document
from core.permissions import can_manage_event
from core.ratelimit import CodeGuessGuard
from events.access import managed_event
from events.models import Event, EventKind, EventStatus, Ticket

from . import selectors, services
from .delivery import summary_delivery_retry
from .forms import MergeForm, RecommendationForm, TicketCodeForm
from .models import ForumSummary, Recommendation

CODE_GUARD = CodeGuessGuard("forums.code_failures")
ENDORSING_TICKET = CodeEntry(CODE_GUARD, "forums.endorsing_ticket")


def _forum_or_404(event_id: int) -> Event:
    return get_object_or_404(
        Event.objects.select_related("programme"), pk=event_id, kind=EventKind.FORUM
    )


def _managed_forum(request, event_id: int) -> Event:
    return managed_event(request, event_id, kind=EventKind.FORUM)


@login_required
def rapporteur_page(request, event_id: int):
    event = _forum_or_404(event_id)
    if not selectors.forum_can_enter_recommendations(user=request.user, event=event):
        raise Http404
    assignment = event.rapporteur_assignments.filter(user=request.user).first()
    initial = {"language": (request.LANGUAGE_CODE or "fr")[:2]}
    if assignment and assignment.workshop:
        initial["proposed_by_workshop"] = assignment.workshop
        initial["theme"] = assignment.workshop.theme
    form = RecommendationForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields, addressed = form.service_fields()
        if form_service_call(
            request,
            form,
            lambda: services.recommendation_create(
                event=event, user=request.user, addressed_to=addressed, **fields
            ),
            success=_("Recommendation saved. Thank you!"),
        ):
            return redirect("forums:rapporteur", event_id=event.pk)
    mine = selectors.recommendation_list(event=event).filter(created_by=request.user)
    return render(
        request, "forums/rapporteur.html", {"event": event, "form": form, "recommendations": mine}
    )


def _with_delivery(event: Event, summaries) -> list:
    """Summary versions with their e-mail delivery counts (sent / failed / waiting)."""
    counts = selectors.summary_delivery_counts(event=event)
    empty = {"sent": 0, "failed": 0, "waiting": 0}
    versions = list(summaries)
    for summary in versions:
        summary.delivery = counts.get(summary.pk, empty)
    return versions


@login_required
def organizer_page(request, event_id: int):
    event = _managed_forum(request, event_id)
    recommendations = list(selectors.recommendation_list(event=event))
    for rec in recommendations:
        rec.merge_form = MergeForm(recommendation=rec, auto_id=f"id_merge_{rec.pk}_%s")
    return render(
        request,
        "forums/manage.html",
        {
            "event": event,
            "recommendations": recommendations,
            "summaries": _with_delivery(event, selectors.summary_versions(event=event)),
            "is_closed": event.status == EventStatus.CLOSED,
            "followup_reports": event.followup_reports.select_related("previous").order_by(
                "-number"
            )[:3],
        },
    )


@login_required
def recommendation_edit_page(request, event_id: int, recommendation_id: int):
    event = _managed_forum(request, event_id)
    recommendation = get_object_or_404(Recommendation, pk=recommendation_id, event=event)
    form = RecommendationForm(request.POST or None, event=event, instance=recommendation)
    if request.method == "POST" and form.is_valid():
        fields, addressed = form.service_fields()
        # The form wrote onto the instance; the service reloads it and applies the data.
        if form_service_call(
            request,
            form,
            lambda: services.recommendation_update(
                recommendation=recommendation, data=fields, addressed_to=addressed
            ),
            success=_("Recommendation updated."),
        ):
            return redirect("forums:manage", event_id=event.pk)
    return render(
        request,
        "forums/recommendation_edit.html",
        {"event": event, "form": form, "recommendation": recommendation},
    )


@login_required
@require_POST
def recommendation_action(request, event_id: int, recommendation_id: int, action: str):
    event = _managed_forum(request, event_id)
    recommendation = get_object_or_404(Recommendation, pk=recommendation_id, event=event)
    user = request.user

    def merge():
        form = MergeForm(request.POST, recommendation=recommendation)
        into = chosen(form, "into", _("Choose the recommendation to merge into."))
        services.recommendation_merge(recommendation=recommendation, into=into, user=user)

    posted_action_call(
        request,
        action,
        {
            "adopt": (
                lambda: services.recommendation_adopt(recommendation=recommendation, user=user),
                _("Recommendation adopted."),
            ),
            "reject": (
                lambda: services.recommendation_reject(recommendation=recommendation, user=user),
                _("Recommendation rejected."),
            ),
            "merge": (merge, _("Recommendations merged.")),
        },
    )
    return redirect("forums:manage", event_id=event.pk)


@login_required
@require_POST
def summary_new_version(request, event_id: int):
    """A new draft version, opened in its preview: nothing goes to partners from here."""
    event = _managed_forum(request, event_id)
    try:
        summary = services.summary_build(event=event, new_version=True, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("forums:manage", event_id=event.pk)
    messages.success(
        request,
        _("Summary version %(n)s built. Check what each partner will receive, then send it.")
        % {"n": summary.number},
    )
    return redirect("forums:summary_preview", event_id=event.pk, summary_id=summary.pk)


@login_required
@require_POST
def summary_delivery_retry_action(request, event_id: int, summary_id: int):
    event = _managed_forum(request, event_id)
    summary = get_object_or_404(ForumSummary, pk=summary_id, event=event)
    try:
        count = summary_delivery_retry(summary=summary)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)s failed e-mail sent again.", "%(n)s failed e-mails sent again.", count)
            % {"n": count},
        )
    return redirect("forums:manage", event_id=event.pk)


@login_required
def summary_page(request, event_id: int):
    event = _managed_forum(request, event_id)
    summary = selectors.summary_latest(event=event)
    if summary is None:
        raise Http404
    response = HttpResponse(summary.html)
    response["Content-Security-Policy"] = csp_for_stored_document(summary.html)
    return response


@login_required
def summary_pdf(request, event_id: int):
    """Staff download the stored PDF; partners have their own, personalised, download."""
    event = _forum_or_404(event_id)
    if not can_manage_event(request.user, event):
        return redirect("forums:partner_pdf_session", event_id=event_id)
    summary = selectors.summary_latest(event=event)
    if summary is None:
        raise Http404
    return pdf_response(bytes(summary.pdf), event, summary.number)


def pdf_response(pdf: bytes, event: Event, number: int) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="forum-{event.pk}-summary-v{number}.pdf"'
    )
    return response


def endorsement_url(event: Event) -> str:
    return settings.SITE_URL + reverse("forums:endorse", kwargs={"event_id": event.pk})


@login_required
def endorsement_screen(request, event_id: int):
    """Shown on the room's projector: a big QR code that opens the endorsement page."""
    event = _forum_or_404(event_id)
    if not selectors.forum_can_enter_recommendations(user=request.user, event=event):
        raise Http404
    url = endorsement_url(event)
    # Loaded for the projector's QR only, not in every process at start (README, "Small server").
    import qrcode.image.svg

    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=20)
    adopted = selectors.recommendation_list(event=event, status=Recommendation.Status.ADOPTED)
    return render(
        request,
        "forums/screen.html",
        {
            "event": event,
            "url": url,
            "adopted": adopted,
            # Generated by qrcode from our own URL: no user input reaches this markup.
            "qr_svg": mark_safe(svg.to_string(encoding="unicode")),  # noqa: S308
        },
    )


def _session_ticket(request, event: Event) -> Ticket | None:
    ticket_id = ENDORSING_TICKET.remembered(request, event.pk)
    if not ticket_id:
        return None
    return Ticket.objects.filter(pk=ticket_id, event=event, status=Ticket.Status.VALID).first()


def endorsement_page(request, event_id: int):
    """The participant's phone: enter the ticket code once, then support adopted recommendations.
    The ticket is remembered in the session only (never in the URL)."""
    event = _forum_or_404(event_id)
    ticket = _session_ticket(request, event)
    code_form = TicketCodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "code" and code_form.is_valid():
            if ENDORSING_TICKET.enter(
                request,
                event.pk,
                code_form,
                lambda code: services.endorsement_ticket_find(event=event, code=code).pk,
            ):
                return redirect("forums:endorse", event_id=event.pk)
        elif action == "endorse" and ticket is not None:
            recommendation = Recommendation.objects.filter(
                pk=request.POST.get("recommendation"), event=event
            ).first()
            if recommendation is None:
                messages.error(request, _("This recommendation does not exist."))
            else:
                try:
                    _endorsement, created = services.endorsement_add(
                        recommendation=recommendation, ticket=ticket
                    )
                except ApplicationError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request,
                        _("Thank you, your support is counted.")
                        if created
                        else _("You already support this recommendation."),
                    )
            return redirect("forums:endorse", event_id=event.pk)
        elif action == "forget":
            ENDORSING_TICKET.forget(request, event.pk)
            return redirect("forums:endorse", event_id=event.pk)
    adopted, endorsed = [], set()
    if ticket is not None:
        adopted = list(
            selectors.recommendation_list(event=event, status=Recommendation.Status.ADOPTED)
        )
        endorsed = set(ticket.endorsements.values_list("recommendation_id", flat=True))
    return render(
        request,
        "forums/endorse.html",
        {
            "event": event,
            "ticket": ticket,
            "code_form": code_form,
            "adopted": adopted,
            "endorsed": endorsed,
            "is_open": event.status == EventStatus.PUBLISHED,
        },
    )
