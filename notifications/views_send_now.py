"""The organizer's "send scheduled messages now": choose, see what will go and to how many
people, confirm. Nothing goes out without the confirmation, reminders whose time has not come
are sent early only when the organizer ticks them, and the confirmation carries the signed list
of the rows that were shown, so it never sends more than that."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from events.access import managed_event
from events.models import Event

from . import selectors, services
from .tokens import read_send_selection_token, send_selection_token

TEMPLATE = "notifications/event_messages_send.html"


@login_required
@require_http_methods(["GET", "POST"])
def event_messages_send(request, event_id: int):
    event = managed_event(request, event_id)
    groups = selectors.messages_pending_for_event(event=event, now=timezone.now())
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "confirm":
        return _confirm(request, event, groups)
    if step == "preview":
        return _preview(request, event, groups)
    return render(request, TEMPLATE, {"event": event, "groups": groups, "step": "choose"})


def _choose_again(request, event: Event, groups, error: str):
    context = {"event": event, "groups": groups, "step": "choose", "error": error}
    return render(request, TEMPLATE, context, status=400)


def _preview(request, event: Event, groups):
    picked_keys = set(request.POST.getlist("group"))
    picked = [group for group in groups if group.key in picked_keys]
    if not picked:
        return _choose_again(
            request, event, groups, _("Tick at least one group of messages to send.")
        )
    ids = [pk for group in picked for pk in group.message_ids]
    context = {
        "event": event,
        "groups": picked,
        "step": "confirm",
        "message_count": len(ids),
        "people_count": selectors.pending_groups_people(picked),
        "early": [group for group in picked if not group.due],
        "selection": send_selection_token(event.pk, ids),
    }
    return render(request, TEMPLATE, context)


def _confirm(request, event: Event, groups):
    ids = read_send_selection_token(request.POST.get("selection", ""), event.pk)
    if ids is None:
        return _choose_again(
            request,
            event,
            groups,
            _("This confirmation is no longer valid. Choose the messages again."),
        )
    count = services.messages_send_now(event=event, message_ids=ids)
    messages.success(
        request,
        ngettext("%(count)d message is being sent.", "%(count)d messages are being sent.", count)
        % {"count": count},
    )
    skipped = len(ids) - count
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d message had already gone or was cancelled; it was not sent again.",
                "%(count)d messages had already gone or were cancelled; they were not sent again.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect("notifications:event_messages", event_id=event.pk)
