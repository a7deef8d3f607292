"""Reads for the organizer pages and the API, scoped to the user's organisations by the tenancy
rules (core.tenancy). A participant's people are the links of every participant that resolves to
it: canonical id = coalesce(merged_into, id)."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core import tenancy

from .models import DuplicateCandidate, Participant, ParticipantLink, ParticipantMerge

QUEUE_SIZE = 50


def canonical_id_expression(prefix: str = "participant__"):
    return Coalesce(F(f"{prefix}merged_into_id"), F(f"{prefix}id"))


def people_count(links: QuerySet | None = None) -> int:
    """How many people `links` (ParticipantLink rows) are: distinct canonical participants."""
    links = links if links is not None else ParticipantLink.objects.all()
    return (
        links.annotate(canonical=canonical_id_expression()).values("canonical").distinct().count()
    )


def candidate_queue(*, user) -> QuerySet:
    """Open possible duplicates, likeliest first. Pairs where one side has since been merged into
    someone else wait (they come back if that merge is undone)."""
    return (
        tenancy.visible(user, DuplicateCandidate.objects.all())
        .filter(
            status=DuplicateCandidate.Status.OPEN,
            first__merged_into__isnull=True,
            second__merged_into__isnull=True,
        )
        .select_related("first", "second")
        .order_by("-score", "created_at", "pk")
    )


def candidate_get(*, user, candidate_id: int) -> DuplicateCandidate:
    return get_object_or_404(
        tenancy.visible(user, DuplicateCandidate.objects.select_related("first", "second")),
        pk=candidate_id,
    )


def participant_get(*, user, participant_id: int) -> Participant:
    return get_object_or_404(
        tenancy.visible(user, Participant.objects.select_related("merged_into")),
        pk=participant_id,
    )


def merge_get(*, user, merge_id: int) -> ParticipantMerge:
    return get_object_or_404(tenancy.visible(user, ParticipantMerge.objects.all()), pk=merge_id)


def merges_list(*, user) -> QuerySet:
    return tenancy.visible(user, ParticipantMerge.objects.all()).select_related(
        "kept", "merged", "merged_by", "undone_by"
    )


def last_merge_of(*, user) -> ParticipantMerge | None:
    """The user's most recent merge still in force: what "undo last" undoes."""
    return merges_list(user=user).filter(merged_by=user, undone_at__isnull=True).first()


def links_of(participant_ids) -> QuerySet:
    """Links of every participant resolving to one of `participant_ids`, with the registration
    and event they came from."""
    return (
        ParticipantLink.objects.annotate(canonical=canonical_id_expression())
        .filter(canonical__in=list(participant_ids))
        .select_related("attendee__registration__event")
        .order_by("attendee__registration__event__start_date", "pk")
    )


def mask_phone(phone: str) -> str:
    """Enough to tell two numbers apart at a glance, not enough to call: the last two digits."""
    digits = [c for c in phone if c.isdigit()]
    if not digits:
        return ""
    return "•" * max(len(digits) - 2, 2) + "".join(digits[-2:])


@dataclass
class Seen:
    """A participant as an organizer needs to see them to decide: demographics from the
    participant, first names, events and masked phones from the registrations naming them."""

    participant: Participant
    first_names: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    events: list = field(default_factory=list)  # (event, registration date)


def participants_seen(participants) -> dict[int, Seen]:
    seen = {p.pk: Seen(participant=p) for p in participants}
    for link in links_of(seen):
        entry = seen[link.canonical]
        registration = link.attendee.registration
        name = link.attendee.first_name.strip()
        if name and name not in entry.first_names:
            entry.first_names.append(name)
        phone = mask_phone(registration.phone)
        if phone and phone not in entry.phones:
            entry.phones.append(phone)
        event = registration.event
        if all(existing.pk != event.pk for existing, _ in entry.events):
            entry.events.append((event, registration.created_at))
    return seen


def participant_events(participant: Participant) -> list[dict]:
    """Events the person registered for, each with whether a (not undone) admission exists."""
    links = links_of([participant.canonical_id])
    attended = set(
        links.filter(
            attendee__ticket__attendances__isnull=False,
            attendee__ticket__attendances__voided_at__isnull=True,
        ).values_list("attendee__registration__event_id", flat=True)
    )
    rows: dict[int, dict] = {}
    for link in links:
        event = link.attendee.registration.event
        rows.setdefault(event.pk, {"event": event, "attended": event.pk in attended})
    return list(rows.values())


def participant_counts(participant: Participant) -> dict:
    links = links_of([participant.canonical_id])
    attended = links.filter(
        attendee__ticket__attendances__isnull=False,
        attendee__ticket__attendances__voided_at__isnull=True,
    )
    return {
        "links": links.count(),
        "events_registered": links.aggregate(
            n=Count("attendee__registration__event", distinct=True)
        )["n"],
        "events_attended": attended.aggregate(
            n=Count("attendee__registration__event", distinct=True)
        )["n"],
    }


def merges_of(participant: Participant) -> QuerySet:
    pk = participant.pk
    return ParticipantMerge.objects.filter(Q(kept_id=pk) | Q(merged_id=pk)).select_related(
        "kept", "merged", "merged_by", "undone_by"
    )
