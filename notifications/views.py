"""Pages: opt-out (participants), feedback form (participants), and the organizer's message view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ApplicationError
from events.access import managed_event
from events.models import Registration
from participants.selectors_cards import card_of_managed

from . import selectors, selectors_delivery, services
from .forms import FeedbackForm
from .inbox_context import inbox_context
from .models import Channel, Message, Suppression
from .services.cards import participant_card_send
from .tokens import read_opt_out_token, read_registration_opt_out_token, recipient_hash


@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    """GET asks, POST acts: link scanners that prefetch URLs must not unsubscribe anyone."""
    channel, hashed = _opt_out_target(token)
    done = services.is_suppressed(channel=channel, hashed_recipient=hashed)
    if request.method == "POST" and not done:
        services.suppression_add(
            channel=channel, hashed_recipient=hashed, source=Suppression.Source.LINK
        )
        done = True
    return render(
        request,
        "notifications/opt_out.html",
        {"done": done, "channel_label": Channel(channel).label},
    )


def _opt_out_target(token: str) -> tuple[str, str]:
    """(channel, recipient hash) from a short registration token (SMS) or a signed hash token."""
    short = read_registration_opt_out_token(token)
    if short is not None:
        registration_id, channel = short
        registration = Registration.objects.filter(pk=registration_id).first()
        address = (
            getattr(registration, "phone" if channel == Channel.SMS else "email", "")
            if registration
            else ""
        )
        if not address:
            raise Http404
        return channel, recipient_hash(channel, address)
    parsed = read_opt_out_token(token)
    if parsed is None:
        raise Http404
    return parsed


@require_http_methods(["GET", "POST"])
def feedback(request, token: str):
    try:
        ticket = services.feedback_ticket_from_token(token=token)
    except ApplicationError as exc:
        raise Http404 from exc
    context = {"event": ticket.event}
    if services.feedback_already_given(ticket=ticket):
        return render(request, "notifications/feedback_thanks.html", context)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                token=token,
                language=(translation.get_language() or "fr")[:2],
                **form.cleaned_data,
            )
        except ApplicationError as exc:
            if exc.code != "already_answered":
                form.add_error(None, exc.message)
                return render(
                    request,
                    "notifications/feedback.html",
                    {**context, "form": form},
                    status=exc.status,
                )
        return render(request, "notifications/feedback_thanks.html", context)
    return render(request, "notifications/feedback.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_messages(request, event_id: int):
    event = managed_event(request, event_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "retry_failed":
            count = services.messages_retry_failed(event=event)
            messages.success(
                request,
                ngettext(
                    "%(count)d failed message queued again.",
                    "%(count)d failed messages queued again.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.error(request, _("Unknown action."))
        return redirect("notifications:event_messages", event_id=event.pk)
    return render(
        request,
        "notifications/event_messages.html",
        {
            "event": event,
            "counts": selectors.message_counts_for_event(event=event),
            "channels": Channel.choices,
            "statuses": Message.Status.choices,
            "failures": selectors.message_failures_for_event(event=event),
            "delivery": selectors_delivery.delivery_stats_for_event(event=event),
            "feedback": selectors.feedback_summary_for_event(event=event),
            **inbox_context(event=event),
        },
    )


@login_required
@require_POST
def participant_card_send_view(request, participant_id: int):
    """The organizer card page's "send the link" buttons."""
    card = card_of_managed(user=request.user, participant_id=participant_id)
    if card is None:
        raise Http404
    try:
        participant_card_send(card=card, channel=request.POST.get("channel", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The card's link is on its way."))
    return redirect("participants_cards:manage", participant_id=participant_id)
