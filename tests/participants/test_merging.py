"""Merging and unmerging participants: pointers flattened one hop deep, restored exactly, audited;
no cycle whatever the timing (real threads on PostgreSQL); figures follow without moving a link."""

import contextlib
import functools

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from participants.models import DuplicateCandidate, Participant, ParticipantLink
from participants.selectors import people_count
from participants.services.matching import duplicates_find
from participants.services.merging import (
    candidate_mark_distinct,
    participants_merge,
    participants_unmerge,
)
from tests.concurrency import run_together
from tests.factories import (
    DuplicateCandidateFactory,
    OrganizationFactory,
    ParticipantFactory,
    ParticipantLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


def people(n, organization=None):
    organization = organization or OrganizationFactory()
    return [ParticipantFactory(organization=organization) for _ in range(n)]


def pointers(*participants):
    return {
        p.pk: Participant.objects.values_list("merged_into_id", flat=True).get(pk=p.pk)
        for p in participants
    }


def test_merge_points_the_merged_participant_at_the_kept_one(organizer):
    kept, merged = people(2)
    merge = participants_merge(kept=kept, merged=merged, actor=organizer)
    assert pointers(kept, merged) == {kept.pk: None, merged.pk: kept.pk}
    assert merge.carried_ids == []
    assert merge.merged_by == organizer


def test_merging_a_participant_that_absorbed_others_flattens_the_pointers(organizer):
    a, b, c, d = people(4)
    participants_merge(kept=b, merged=c, actor=organizer)
    participants_merge(kept=b, merged=d, actor=organizer)
    merge = participants_merge(kept=a, merged=b, actor=organizer)
    # One hop from everyone to the canonical participant: no chains.
    assert pointers(a, b, c, d) == {a.pk: None, b.pk: a.pk, c.pk: a.pk, d.pk: a.pk}
    assert merge.carried_ids == sorted([c.pk, d.pk])


def test_unmerge_restores_every_pointer_exactly(organizer):
    a, b, c, d = people(4)
    participants_merge(kept=b, merged=c, actor=organizer)
    participants_merge(kept=b, merged=d, actor=organizer)
    before = pointers(a, b, c, d)
    merge = participants_merge(kept=a, merged=b, actor=organizer)
    participants_unmerge(merge=merge, actor=organizer)
    assert pointers(a, b, c, d) == before == {a.pk: None, b.pk: None, c.pk: b.pk, d.pk: b.pk}
    merge.refresh_from_db()
    assert merge.undone_by == organizer and merge.undone_at is not None


def test_a_merge_cannot_be_undone_twice(organizer):
    kept, merged = people(2)
    merge = participants_merge(kept=kept, merged=merged, actor=organizer)
    participants_unmerge(merge=merge, actor=organizer)
    with pytest.raises(ApplicationError) as error:
        participants_unmerge(merge=merge, actor=organizer)
    assert error.value.code == "undone"


def test_an_earlier_merge_waits_for_the_later_one_to_be_undone(organizer):
    a, b, c = people(3)
    first = participants_merge(kept=b, merged=c, actor=organizer)
    later = participants_merge(kept=a, merged=b, actor=organizer)
    with pytest.raises(ApplicationError) as error:
        participants_unmerge(merge=first, actor=organizer)
    assert error.value.code == "later_merge"
    participants_unmerge(merge=later, actor=organizer)
    participants_unmerge(merge=first, actor=organizer)
    assert pointers(a, b, c) == {a.pk: None, b.pk: None, c.pk: None}


@pytest.mark.parametrize("case", ["itself", "other_org", "merged_already", "into_merged"])
def test_impossible_merges_are_refused_and_change_nothing(organizer, case):
    a, b, c = people(3)
    participants_merge(kept=a, merged=b, actor=organizer)
    outsider = ParticipantFactory()
    kept, merged, code = {
        "itself": (c, c, "same"),
        "other_org": (c, outsider, "other_organization"),
        "merged_already": (c, b, "already_merged"),
        "into_merged": (b, c, "already_merged"),
    }[case]
    with pytest.raises(ApplicationError) as error:
        participants_merge(kept=kept, merged=merged, actor=organizer)
    assert error.value.code == code
    assert pointers(a, b, c, outsider) == {a.pk: None, b.pk: a.pk, c.pk: None, outsider.pk: None}


def test_a_cycle_is_impossible(organizer):
    a, b = people(2)
    participants_merge(kept=a, merged=b, actor=organizer)
    with pytest.raises(ApplicationError):
        participants_merge(kept=b, merged=a, actor=organizer)
    assert pointers(a, b) == {a.pk: None, b.pk: a.pk}


def test_merging_a_candidate_closes_it_and_other_open_candidates_between_the_two(organizer):
    candidate = DuplicateCandidateFactory()
    first, second = candidate.first, candidate.second
    # An absorbed participant of `second` was a possible duplicate of `first` too.
    absorbed = ParticipantFactory(organization=first.organization)
    participants_merge(kept=second, merged=absorbed, actor=organizer)
    other = DuplicateCandidateFactory(organization=first.organization, first=first, second=absorbed)
    unrelated = DuplicateCandidateFactory(
        organization=first.organization, first=first, second=ParticipantFactory()
    )
    merge = participants_merge(kept=first, merged=second, actor=organizer, candidate=candidate)
    statuses = dict(
        DuplicateCandidate.objects.filter(
            pk__in=[candidate.pk, other.pk, unrelated.pk]
        ).values_list("pk", "status")
    )
    assert statuses == {candidate.pk: "merged", other.pk: "merged", unrelated.pk: "open"}
    candidate.refresh_from_db()
    assert candidate.decided_by == organizer
    # Undone, the question is open again.
    participants_unmerge(merge=merge, actor=organizer)
    candidate.refresh_from_db()
    assert candidate.status == "open" and candidate.decided_by is None


def test_a_candidate_merge_must_keep_one_of_its_pair(organizer):
    candidate = DuplicateCandidateFactory()
    stranger = ParticipantFactory(organization=candidate.organization)
    with pytest.raises(ApplicationError) as error:
        participants_merge(
            kept=stranger, merged=candidate.second, actor=organizer, candidate=candidate
        )
    assert error.value.code == "not_in_pair"


def test_merge_unmerge_and_distinct_are_audited(organizer):
    a, b, c = people(3)
    participants_merge(kept=b, merged=c, actor=organizer)
    merge = participants_merge(kept=a, merged=b, actor=organizer)
    participants_unmerge(merge=merge, actor=organizer)
    candidate = DuplicateCandidateFactory()
    candidate_mark_distinct(candidate=candidate, actor=organizer)

    entries = AuditEntry.objects.filter(actor=organizer).order_by("pk")
    assert [e.action for e in entries] == [
        "participant.merge",
        "participant.merge",
        "participant.unmerge",
        "participant.distinct",
    ]
    merged_entry, unmerged_entry, distinct_entry = list(entries)[1:]
    assert merged_entry.target_id == str(merge.pk)
    assert merged_entry.detail["kept"] == a.pk and merged_entry.detail["merged"] == b.pk
    assert merged_entry.detail["carried"] == [c.pk]
    assert unmerged_entry.target_id == str(merge.pk)
    assert distinct_entry.target_type == "participants.duplicatecandidate"
    assert distinct_entry.detail == {
        "organization": candidate.organization_id,
        "first": candidate.first_id,
        "second": candidate.second_id,
    }


def test_different_people_stay_decided_when_detected_again(organizer):
    candidate = DuplicateCandidateFactory()
    candidate_mark_distinct(candidate=candidate, actor=organizer)
    candidate.refresh_from_db()
    assert candidate.status == "distinct" and candidate.decided_by == organizer
    with pytest.raises(ApplicationError):
        candidate_mark_distinct(candidate=candidate, actor=organizer)
    # The same detection again (same name hash, same age band): still one row, still decided.
    second = candidate.second
    Participant.objects.filter(pk__in=[candidate.first_id, second.pk]).update(name_hash="n" * 64)
    second.refresh_from_db()
    found = duplicates_find(participant=second, first_name="")
    assert [(c.first_id, c.second_id) for c in found] == [(candidate.first_id, candidate.second_id)]
    assert list(DuplicateCandidate.objects.values_list("status", flat=True)) == ["distinct"]


def test_people_are_counted_by_canonical_participant_before_and_after_merge(organizer):
    organization = OrganizationFactory()
    a, b, c = people(3, organization)
    for participant in (a, a, b, c):
        ParticipantLinkFactory(participant=participant)
    links = list(ParticipantLink.objects.values_list("pk", "participant_id"))
    assert people_count() == 3
    merge = participants_merge(kept=a, merged=b, actor=organizer)
    assert people_count() == 2
    # Links never move: only pointers do.
    assert list(ParticipantLink.objects.values_list("pk", "participant_id")) == links
    participants_unmerge(merge=merge, actor=organizer)
    assert people_count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_opposite_merges_end_consistent():
    """A←B and B←A at the same moment: one wins, the other is refused; never a cycle."""
    for _round in range(5):
        a, b = people(2)
        actor = UserFactory()
        outcomes = []

        def worker(index, a=a, b=b, actor=actor, outcomes=outcomes):
            kept, merged = (a, b) if index == 0 else (b, a)
            try:
                participants_merge(kept=kept, merged=merged, actor=actor)
                outcomes.append("merged")
            except ApplicationError as error:
                outcomes.append(error.code)

        _, errors = run_together([functools.partial(worker, index) for index in range(2)])
        assert errors == []
        assert sorted(outcomes) == ["already_merged", "merged"]
        state = pointers(a, b)
        assert list(state.values()).count(None) == 1
        assert set(state.values()) - {None} <= {a.pk, b.pk}
        assert state[a.pk] != b.pk or state[b.pk] != a.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_merges_along_a_chain_stay_one_hop_deep():
    """C into B while B into A: whichever goes first, nobody ends pointing at a merged one."""
    for _round in range(5):
        a, b, c = people(3)
        actor = UserFactory()

        def worker(index, a=a, b=b, c=c, actor=actor):
            kept, merged = (b, c) if index == 0 else (a, b)
            with contextlib.suppress(ApplicationError):
                participants_merge(kept=kept, merged=merged, actor=actor)

        _, errors = run_together([functools.partial(worker, index) for index in range(2)])
        assert errors == []
        state = pointers(a, b, c)
        assert state[a.pk] is None and state[b.pk] == a.pk
        assert state[c.pk] in (None, a.pk)
