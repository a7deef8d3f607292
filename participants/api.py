"""Participants API for organizers: the possible-duplicates queue, merge, undo, "different
people", and a participant's detail. Scoped to the organizer's organisations; no names or phones."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from core.auth import staff_auth
from core.errors import ApplicationError
from core.pagination import BoundedLimitOffsetPagination
from core.schemas import STAFF_ERRORS

from . import selectors
from .schemas import (
    DuplicateCandidateOut,
    ParticipantDetailOut,
    ParticipantMergeIn,
    ParticipantMergeOut,
)
from .services.merging import candidate_mark_distinct, participants_merge, participants_unmerge

router = Router(tags=["participants"], auth=staff_auth)


@router.get("/participants/duplicates", response=list[DuplicateCandidateOut])
@paginate(BoundedLimitOffsetPagination)
def list_duplicates(request):
    """Open possible duplicates, likeliest first."""
    return selectors.candidate_queue(user=request.auth)


@router.post(
    "/participants/duplicates/{candidate_id}/merge",
    response={200: ParticipantMergeOut, **STAFF_ERRORS},
)
def merge_duplicate(request, candidate_id: int, payload: ParticipantMergeIn):
    candidate = selectors.candidate_get(user=request.auth, candidate_id=candidate_id)
    if payload.keep_id == candidate.first_id:
        kept, merged = candidate.first, candidate.second
    elif payload.keep_id == candidate.second_id:
        kept, merged = candidate.second, candidate.first
    else:
        raise ApplicationError(
            _("Keep one of the two participants of this possible duplicate."),
            code="not_in_pair",
            status=422,
        )
    return participants_merge(kept=kept, merged=merged, actor=request.auth, candidate=candidate)


@router.post(
    "/participants/duplicates/{candidate_id}/distinct",
    response={200: DuplicateCandidateOut, **STAFF_ERRORS},
)
def mark_distinct(request, candidate_id: int):
    candidate = selectors.candidate_get(user=request.auth, candidate_id=candidate_id)
    candidate_mark_distinct(candidate=candidate, actor=request.auth)
    return selectors.candidate_get(user=request.auth, candidate_id=candidate_id)


@router.post(
    "/participant-merges/{merge_id}/undo", response={200: ParticipantMergeOut, **STAFF_ERRORS}
)
def undo_merge(request, merge_id: int):
    merge = selectors.merge_get(user=request.auth, merge_id=merge_id)
    return participants_unmerge(merge=merge, actor=request.auth)


@router.get("/participants/{participant_id}", response={200: ParticipantDetailOut, **STAFF_ERRORS})
def participant_detail(request, participant_id: int):
    participant = selectors.participant_get(user=request.auth, participant_id=participant_id)
    canonical = participant.merged_into or participant
    return {
        "id": participant.pk,
        "canonical_id": canonical.pk,
        "merged_into_id": participant.merged_into_id,
        "gender": canonical.gender,
        "age_band": canonical.age_band,
        "profile": canonical.profile,
        "birth_year": canonical.birth_year,
        **selectors.participant_counts(canonical),
        "merged_ids": list(
            canonical.merged_participants.order_by("pk").values_list("pk", flat=True)
        ),
    }
