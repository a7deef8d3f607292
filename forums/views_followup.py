"""What became of the recommendations and of the participants' proposals put to partners: the
organizer's follow-up pages (per forum and per programme, with the overdue list), the
programme's network of organisations, and the public follow-up page a forum may opt into (no
personal data: no proposer, no contact, no note, no document; institutions' names, positions,
reasons and commitments only)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.permissions import can_manage_programme
from events.models import Programme

from . import selectors_followup as reads
from .models import CommitmentUpdate
from .views import _forum_or_404, _managed_forum
from .views_responses import document_response


def _followup_page(request, *, forums, events, **extra):
    """The organizer's follow-up page: what became of the recommendations of `forums` and of
    the proposals of `events`, and the overdue list of both."""
    rows = reads.followup_rows(events=forums)
    proposal_rows = reads.proposal_followup_rows(events=events)
    context = {
        "rows": rows,
        "proposal_rows": proposal_rows,
        "overdue": reads.overdue_items(rows + proposal_rows),
        "today": timezone.localdate(),
        "rates": reads.response_rates_by_kind(events=forums, proposal_events=events),
        **extra,
    }
    return render(request, "forums/followup.html", context)


@login_required
def forum_followup(request, event_id: int):
    event = _managed_forum(request, event_id)
    return _followup_page(
        request,
        forums=[event],
        events=[event],
        event=event,
        title=event.display_title,
        due_at=reads.forum_response_due_at(event=event),
        settings=reads.forum_settings(event),
    )


def _managed_programme(request, programme_id: int) -> Programme:
    programme = get_object_or_404(Programme, pk=programme_id)
    if not can_manage_programme(request.user, programme):
        raise Http404
    return programme


@login_required
def programme_followup(request, programme_id: int):
    programme = _managed_programme(request, programme_id)
    return _followup_page(
        request,
        forums=reads.programme_forums(programme=programme),
        events=reads.programme_events(programme=programme),
        programme=programme,
        title=programme.name,
    )


@login_required
def programme_network(request, programme_id: int):
    programme = _managed_programme(request, programme_id)
    forums = reads.programme_forums(programme=programme)
    return render(
        request,
        "forums/network.html",
        {
            "programme": programme,
            "organizations": reads.network_organizations(programme=programme),
            "rates": reads.response_rates_by_kind(
                events=forums, proposal_events=reads.programme_events(programme=programme)
            ),
        },
    )


def forum_followup_public(request, event_id: int):
    event = _forum_or_404(event_id)
    if not reads.forum_settings(event).followup_public:
        raise Http404
    return render(
        request,
        "forums/followup_public.html",
        {
            "event": event,
            "rows": reads.followup_rows(events=[event]),
            "proposal_rows": reads.proposal_followup_rows(events=[event]),
            "rates": reads.response_rates_by_kind(events=[event]),
        },
    )


@login_required
def organizer_document(request, event_id: int, update_id: int):
    event = _managed_forum(request, event_id)
    proposals = reads.proposals_addressed(events=[event]).values("pk")
    update = get_object_or_404(
        CommitmentUpdate,
        Q(commitment__response__recommendation__event=event)
        | Q(commitment__response__proposal__in=proposals),
        pk=update_id,
        document__isnull=False,
    )
    return document_response(update)
