"""The organizers' inbox on an event's messages page: what people wrote that no keyword
answered, with a reply box (the answer goes through the outbox, by WhatsApp inside the 24-hour
window since the person last wrote there, else by SMS) and a "handled" button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from events.access import managed_event

from . import services
from .models import Channel, InboundMessage


@login_required
@require_POST
def inbox_answer(request, event_id: int, inbound_id: int):
    event = managed_event(request, event_id)
    inbound = get_object_or_404(InboundMessage, pk=inbound_id, event=event)
    try:
        if request.POST.get("action") == "handled":
            services.inbox_mark_handled(inbound=inbound, user=request.user)
            messages.success(request, _("Marked as handled."))
        else:
            message = services.inbox_reply(
                inbound=inbound, text=request.POST.get("text", ""), user=request.user
            )
            messages.success(
                request,
                _("Your answer is on its way by %(channel)s.")
                % {"channel": Channel(message.channel).label},
            )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("notifications:event_messages", args=[event.pk]) + "#inbox")
