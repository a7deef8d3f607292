"""Forgetting who a participant is, at the end of retention or on request.

A participant keeps its id and demographics (every figure stays the same); what ties it to a
phone or a name, its hashes, goes once no registration that still holds personal data names it."""

from django.utils import timezone

from ..models import Participant, ParticipantLink


def participants_forget(*, registration_ids: list[int]) -> int:
    """Clear the hashes of the participants of these (just pseudonymised) registrations that no
    other registration with personal data still names. Returns how many were cleared."""
    touched = set(
        ParticipantLink.objects.filter(attendee__registration_id__in=registration_ids).values_list(
            "participant_id", flat=True
        )
    )
    still_named = set(
        ParticipantLink.objects.filter(
            participant_id__in=touched,
            attendee__registration__personal_data_purged_at__isnull=True,
        )
        .exclude(attendee__registration_id__in=registration_ids)
        .values_list("participant_id", flat=True)
    )
    forgotten = touched - still_named
    return Participant.objects.filter(pk__in=forgotten).update(
        match_hash=None, phone_hash="", name_hash="", personal_data_purged_at=timezone.now()
    )
