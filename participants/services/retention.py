"""Forgetting who a participant is, at the end of retention or on request.

A participant keeps its id and demographics (every figure stays the same); what ties it to a
phone or a name, its hashes, goes once no registration that still holds personal data names it.

Clearing those hashes is not enough on its own: anyone holding the organisation's matching key and
the phone could still compute `HMAC(key, phone…)` and look for it elsewhere (a backup, an export,
a log). So whenever a purge forgets participants, the organisation's key is rotated in the same
transaction: the secret is overwritten with a new one and the hashes of the participants that
registrations still name are re-computed from those registrations. The old secret then exists
nowhere, and a pseudonym seen before the purge can no longer be tied to a phone by anyone."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.permissions import is_administrator, organization_ids
from core.services import audit_record
from events.models import Attendee, Registration
from events.services.retention import attendee_erase, registration_erase

from ..models import MatchKey, Participant, ParticipantLink, new_match_secret
from .matching import person_hashes

FORGOTTEN = {"match_hash": None, "phone_hash": "", "name_hash": ""}


def participants_forget(*, registration_ids: list[int]) -> int:
    """Clear the hashes of the participants of these (just pseudonymised) registrations that no
    other registration with personal data still names, then rotate the key of every organisation
    that forgot someone. Returns how many participants were forgotten."""
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
    forgotten = Participant.objects.filter(pk__in=touched - still_named)
    organization_ids_ = set(forgotten.values_list("organization_id", flat=True))
    count = forgotten.update(**FORGOTTEN, personal_data_purged_at=timezone.now())
    for organization_id in sorted(organization_ids_):
        match_key_rotate(organization_id=organization_id)
    return count


def _named_people(organization_id: int) -> dict[int, tuple[str, str, str]]:
    """participant id → (phone, first name, age band) from the most recent registration that
    still holds personal data and names it. A participant once forgotten (purged or erased) stays
    forgotten, even if a household registration still holds the rest of the family's data."""
    rows = (
        ParticipantLink.objects.filter(
            participant__organization_id=organization_id,
            participant__personal_data_purged_at__isnull=True,
            attendee__registration__personal_data_purged_at__isnull=True,
        )
        .order_by("participant_id", "-attendee__registration_id", "-attendee_id")
        .values_list(
            "participant_id",
            "attendee__registration__phone",
            "attendee__first_name",
            "attendee__age_band",
        )
    )
    people: dict[int, tuple[str, str, str]] = {}
    for participant_id, phone, first_name, age_band in rows:
        people.setdefault(participant_id, (phone, first_name, age_band))
    return people


def match_key_rotate(*, organization_id: int) -> int:
    """Overwrite the organisation's matching secret with a new one and re-compute the hashes of
    its participants from the registrations that still name them; participants nobody names any
    more lose their hashes. Returns how many participants were re-hashed.

    The key row is locked for update first: registrations hashing with the old secret hold a
    share lock on it (matching.match_secret), so they commit before this reads the links, and
    their participants are re-hashed too."""
    with transaction.atomic():
        key, _created = MatchKey.objects.get_or_create(organization_id=organization_id)
        key = MatchKey.objects.select_for_update().get(pk=key.pk)
        secret = new_match_secret()
        MatchKey.objects.filter(pk=key.pk).update(secret=secret, created_at=timezone.now())
        people = _named_people(organization_id)
        participants = Participant.objects.filter(organization_id=organization_id)
        # Nulled first: the new hashes are unique per organisation, and PostgreSQL checks a
        # unique index row by row, so swapping hashes in place could collide mid-statement.
        participants.exclude(match_hash__isnull=True).update(match_hash=None)
        participants.exclude(pk__in=people).exclude(phone_hash="", name_hash="").update(**FORGOTTEN)
        rehashed = []
        seen: set[str] = set()
        for participant in participants.filter(pk__in=people).only("pk"):
            phone, first_name, age_band = people[participant.pk]
            hashes = person_hashes(secret, phone=phone, first_name=first_name, age_band=age_band)
            # Two participants whose latest registrations now read the same (a name corrected
            # in the admin): only one keeps the exact-match key; the duplicates queue has both.
            if hashes["match_hash"] in seen:
                hashes["match_hash"] = None
            elif hashes["match_hash"]:
                seen.add(hashes["match_hash"])
            for field, value in hashes.items():
                setattr(participant, field, value)
            rehashed.append(participant)
        Participant.objects.bulk_update(
            rehashed, ["match_hash", "phone_hash", "name_hash"], batch_size=500
        )
    return len(rehashed)


def _may_erase(actor, participant: Participant) -> bool:
    return is_administrator(actor) or participant.organization_id in organization_ids(actor)


@transaction.atomic
def participant_erase(*, participant: Participant, actor) -> Participant:
    """Right to erasure for one person, across every event of the organisation.

    For each registration that names the participant:
    - when the participant is the registration's contact, the whole registration is erased
      (`registration_erase`): the phone and e-mail are theirs, and the people they registered
      were registered under that phone, so their first names would still point back at it;
    - when the participant is only a member of someone else's registration (a child, a partner),
      only that member's own fields are erased (`attendee_erase`): the contact's phone and the
      rest of the household's names belong to other people, who did not ask.
    Then the participant's hashes are cleared and the organisation's key is rotated (as at the
    end of retention). Demographics, tickets and attendances stay, so every figure is unchanged.

    Organizers of the participant's organisation (and administrators) only; a merged participant
    is erased with the links that resolve to it through `merged_into`, not with its own alone."""
    if not _may_erase(actor, participant):
        raise PermissionDenied(_("You do not organize this participant's organisation."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    # The person is the participant and everything merged into it (links never move on merge).
    people = {participant.pk} | set(
        Participant.objects.filter(merged_into=participant).values_list("pk", flat=True)
    )
    attendees = Attendee.objects.filter(
        participant_link__participant_id__in=people,
        registration__personal_data_purged_at__isnull=True,
    ).select_related("registration__event__programme")
    whole, members = 0, 0
    for attendee in attendees.order_by("registration_id", "pk"):
        registration: Registration = attendee.registration
        if registration.personal_data_purged_at is not None:
            continue
        if attendee.is_contact:
            registration_erase(registration=registration, actor=actor)
            whole += 1
        else:
            attendee_erase(attendee=attendee, actor=actor)
            members += 1
    Participant.objects.filter(pk__in=people).update(
        **FORGOTTEN, personal_data_purged_at=timezone.now()
    )
    match_key_rotate(organization_id=participant.organization_id)
    audit_record(
        actor=actor,
        action="participant.erase",
        target=participant,
        detail={"registrations": whole, "members": members},
    )
    participant.refresh_from_db()
    return participant
