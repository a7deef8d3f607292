"""Organizer pages: the possible-duplicates queue, a participant's page and the merges history.
Pages parse and authorize (organizer role, rows scoped to the user's organisations); the
services in participants.services.merging do the writing, as for the API."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.auth import organizer_page
from core.errors import ApplicationError

from . import selectors
from .services.merging import candidate_mark_distinct, participants_merge, participants_unmerge


def _back(request, default: str):
    """Where a form asked to come back to (a page of ours), else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _act(request, action, success, default: str):
    """Run a service write; say `success()` (built once it is done) or the refusal, and go back."""
    try:
        action()
        messages.success(request, success())
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(request, default)


QUEUE = "participants:duplicates"


@organizer_page
def duplicates(request):
    queue = selectors.candidate_queue(user=request.user)
    total = queue.count()
    candidates = list(queue[: selectors.QUEUE_SIZE])
    seen = selectors.participants_seen([p for c in candidates for p in (c.first, c.second)])
    rows = [(c, seen[c.first_id], seen[c.second_id]) for c in candidates]
    return render(
        request,
        "participants/duplicates.html",
        {
            "rows": rows,
            "total": total,
            "total_label": ngettext(
                "%(count)s possible duplicate to review",
                "%(count)s possible duplicates to review",
                total,
            )
            % {"count": total},
            "last_merge": selectors.last_merge_of(user=request.user),
        },
    )


@organizer_page
@require_POST
def candidate_merge(request, candidate_id: int):
    candidate = selectors.candidate_get(user=request.user, candidate_id=candidate_id)
    keep = request.POST.get("keep", str(candidate.first_id))
    if keep not in (str(candidate.first_id), str(candidate.second_id)):
        messages.error(request, _("Choose which of the two participants to keep."))
        return _back(request, reverse(QUEUE))
    kept, merged = (
        (candidate.first, candidate.second)
        if keep == str(candidate.first_id)
        else (candidate.second, candidate.first)
    )
    return _act(
        request,
        lambda: participants_merge(
            kept=kept, merged=merged, actor=request.user, candidate=candidate
        ),
        lambda: _("%(merged)s was merged into %(kept)s.") % {"merged": merged, "kept": kept},
        reverse(QUEUE),
    )


@organizer_page
@require_POST
def candidate_distinct(request, candidate_id: int):
    candidate = selectors.candidate_get(user=request.user, candidate_id=candidate_id)
    return _act(
        request,
        lambda: candidate_mark_distinct(candidate=candidate, actor=request.user),
        lambda: _("%(first)s and %(second)s are marked as different people.")
        % {"first": candidate.first, "second": candidate.second},
        reverse(QUEUE),
    )


@organizer_page
@require_POST
def merge_undo(request, merge_id: int):
    merge = selectors.merge_get(user=request.user, merge_id=merge_id)
    return _act(
        request,
        lambda: participants_unmerge(merge=merge, actor=request.user),
        lambda: _("The merge of %(merged)s into %(kept)s was undone.")
        % {"merged": merge.merged, "kept": merge.kept},
        reverse("participants:merges"),
    )


@organizer_page
def merges(request):
    return render(
        request,
        "participants/merges.html",
        {"merges": selectors.merges_list(user=request.user)[:200]},
    )


@organizer_page
def participant_detail(request, participant_id: int):
    participant = selectors.participant_get(user=request.user, participant_id=participant_id)
    canonical = participant.merged_into or participant
    seen = selectors.participants_seen([canonical])[canonical.pk]
    counts = selectors.participant_counts(canonical)
    return render(
        request,
        "participants/participant.html",
        {
            "participant": participant,
            "canonical": canonical,
            "seen": seen,
            "events": selectors.participant_events(canonical),
            "counts": counts,
            "events_label": ngettext(
                "%(count)s event attended", "%(count)s events attended", counts["events_attended"]
            )
            % {"count": counts["events_attended"]},
            "merged_in": canonical.merged_participants.order_by("pk"),
            "merges": selectors.merges_of(participant),
        },
    )
