"""The organizer's home: where an organizer lands after signing in, with today's and upcoming
events and, for each, the pages of the day (door, figures, messages, forum, registrations)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from core.permissions import is_staff_member

from .selectors.agenda import organizer_agenda


@login_required
def organizer_home(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    agenda = organizer_agenda(user=request.user, today=today)
    return render(
        request,
        "events/organizer_home.html",
        {
            "today_entries": [entry for entry in agenda if entry.happening_today],
            "upcoming_entries": [entry for entry in agenda if not entry.happening_today],
            "today": today,
        },
    )
