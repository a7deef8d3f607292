"""Merging participants an organizer decided are one person, and undoing it.

A merge never moves a link: the merged participant points at the kept one (`merged_into`) and every
figure counts the participant a link resolves to, so figures are right after a merge and after its
undo. Pointers stay one hop deep (flattening): participants that had been merged into the merged
one point at the kept one too, and the merge records them (`carried_ids`) so that undoing it puts
every pointer back exactly.

Both participants are locked (`select_for_update`) in id order before anything is read, so two
organizers merging A into B and B into A at the same moment are serialised: the second sees the
first's merge and is refused. No cycle, no chain, whatever the timing."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.services import audit_record, stored_actor

from ..models import DuplicateCandidate, Participant, ParticipantMerge


def _locked(ids) -> dict[int, Participant]:
    # Row locks in id order: two transactions locking the same pair cannot wait on each other.
    rows = Participant.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {row.pk: row for row in rows}


def _pair_q(left: set[int], right: set[int]) -> Q:
    return Q(first_id__in=left, second_id__in=right) | Q(first_id__in=right, second_id__in=left)


def _with_merged_in(kept_id: int) -> set[int]:
    """`kept_id` and the participants merged into it."""
    return {
        kept_id,
        *Participant.objects.filter(merged_into_id=kept_id).values_list("pk", flat=True),
    }


def _open_candidate_locked(candidate: DuplicateCandidate) -> DuplicateCandidate:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ApplicationError(
            _("This possible duplicate was already decided."), code="decided", status=409
        )
    return candidate


def _merge_audit(*, actor, action: str, merge: ParticipantMerge, candidates: list[int]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=merge,
        detail={
            "organization": merge.organization_id,
            "kept": merge.kept_id,
            "merged": merge.merged_id,
            "carried": merge.carried_ids,
            "candidates": sorted(candidates),
        },
    )


def participants_merge(
    *, kept: Participant, merged: Participant, actor, candidate: DuplicateCandidate | None = None
) -> ParticipantMerge:
    """Merge `merged` into `kept` (same organisation, both not merged already)."""
    if kept.pk == merged.pk:
        raise ApplicationError(_("A participant cannot be merged into itself."), code="same")
    if kept.organization_id != merged.organization_id:
        raise ApplicationError(
            _("Only participants of one organisation can be merged."), code="other_organization"
        )
    if candidate is not None and {candidate.first_id, candidate.second_id} != {kept.pk, merged.pk}:
        raise ApplicationError(
            _("Keep one of the two participants of this possible duplicate."), code="not_in_pair"
        )
    with transaction.atomic():
        locked = _locked([kept.pk, merged.pk])
        kept, merged = locked[kept.pk], locked[merged.pk]
        for participant in (kept, merged):
            if participant.merged_into_id is not None:
                raise ApplicationError(
                    _("%(participant)s was already merged into %(canonical)s: merge into it.")
                    % {"participant": participant, "canonical": f"P-{participant.merged_into_id}"},
                    code="already_merged",
                    status=409,
                )
        if candidate is not None:
            candidate = _open_candidate_locked(candidate)
        carried = sorted(
            Participant.objects.filter(merged_into=merged).values_list("pk", flat=True)
        )
        Participant.objects.filter(pk__in=carried).update(merged_into=kept)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        merge = ParticipantMerge.objects.create(
            organization_id=kept.organization_id,
            kept=kept,
            merged=merged,
            carried_ids=carried,
            merged_by=stored_actor(actor),
        )
        # Every open candidate between the two sides is now one person: decided by this merge.
        kept_side = _with_merged_in(kept.pk)
        merged_side = {merged.pk, *carried}
        closed = list(
            DuplicateCandidate.objects.filter(
                _pair_q(kept_side - merged_side, merged_side),
                status=DuplicateCandidate.Status.OPEN,
            ).values_list("pk", flat=True)
        )
        DuplicateCandidate.objects.filter(pk__in=closed).update(
            status=DuplicateCandidate.Status.MERGED,
            decided_by=merge.merged_by,
            decided_at=timezone.now(),
        )
        _merge_audit(actor=actor, action="participant.merge", merge=merge, candidates=closed)
    return merge


def participants_unmerge(*, merge: ParticipantMerge, actor) -> ParticipantMerge:
    """Undo `merge`: the merged participant and the ones it carried point where they did before."""
    with transaction.atomic():
        merge = ParticipantMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ApplicationError(_("This merge was already undone."), code="undone", status=409)
        locked = _locked([merge.kept_id, merge.merged_id, *merge.carried_ids])
        merged = locked[merge.merged_id]
        moved = [locked[pk] for pk in merge.carried_ids if pk in locked]
        if merged.merged_into_id != merge.kept_id or any(
            p.merged_into_id != merge.kept_id for p in moved
        ):
            # A later merge moved them on (the kept one was merged in turn): undo that one first.
            raise ApplicationError(
                _("A later merge involves these participants: undo it first."),
                code="later_merge",
                status=409,
            )
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        Participant.objects.filter(pk__in=[p.pk for p in moved]).update(merged_into=merged)
        # The candidates this merge decided are open questions again.
        kept_side = _with_merged_in(merge.kept_id)
        merged_side = {merged.pk, *merge.carried_ids}
        reopened = list(
            DuplicateCandidate.objects.filter(
                _pair_q(kept_side, merged_side), status=DuplicateCandidate.Status.MERGED
            ).values_list("pk", flat=True)
        )
        DuplicateCandidate.objects.filter(pk__in=reopened).update(
            status=DuplicateCandidate.Status.OPEN, decided_by=None, decided_at=None
        )
        merge.undone_at = timezone.now()
        merge.undone_by = stored_actor(actor)
        merge.save(update_fields=["undone_at", "undone_by"])
        _merge_audit(actor=actor, action="participant.unmerge", merge=merge, candidates=reopened)
    return merge


def candidate_mark_distinct(*, candidate: DuplicateCandidate, actor) -> DuplicateCandidate:
    """Two different people. The pair keeps this one row (unique pair), so the same detection
    later finds it decided and does not ask again."""
    with transaction.atomic():
        candidate = _open_candidate_locked(candidate)
        candidate.status = DuplicateCandidate.Status.DISTINCT
        candidate.decided_by = stored_actor(actor)
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="participant.distinct",
            target=candidate,
            detail={
                "organization": candidate.organization_id,
                "first": candidate.first_id,
                "second": candidate.second_id,
            },
        )
    return candidate
