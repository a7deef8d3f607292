"""The event a staff page is about, opened only by a user who manages it (core.permissions)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.permissions import can_manage_event

from .models import Event


def managed_event(request, event_id: int, **filters) -> Event:
    """The event (with its programme), or 404 for a user who does not manage it: other
    organisations do not learn which events exist."""
    event = get_object_or_404(Event.objects.select_related("programme"), pk=event_id, **filters)
    if not can_manage_event(request.user, event):
        raise Http404
    return event
