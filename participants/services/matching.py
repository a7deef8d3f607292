"""Linking registered people to participants.

Called inside the registration's transaction (through the `attendees_registered` signal), so a
registration and its links commit or roll back together. An exact match of the keyed hash of phone,
normalised first name and age band links to the existing participant; anything less certain
creates a new participant and, where it looks like someone already known, a possible duplicate
for an organizer to decide. Nothing is ever merged silently.

Two registrations of the same person at the same moment (two events, two doors) both try to
create the participant; the unique constraint on (organisation, match hash) lets one in and the
other reads it back, so there is one participant whatever the timing."""

import contextlib
import contextvars
import hashlib
import hmac

from django.db import connection, transaction

from events.models import Attendee, Registration

from ..models import Channel, DuplicateCandidate, MatchKey, Participant, ParticipantLink
from ..names import name_distance, name_normalise

# Past this many possible duplicates for one new participant, the rest are noise.
MAX_CANDIDATES = 20
# A typo is one or two letters; for short names one letter already makes another name.
SHORT_NAME = 5


# Set by attendees_linked_to() around a registration of someone already known (a participant card
# at the door): the people it registers are that participant, whatever their hashes say.
_KNOWN_PARTICIPANT: contextvars.ContextVar = contextvars.ContextVar(
    "known_participant", default=None
)


@contextlib.contextmanager
def attendees_linked_to(participant: Participant):
    """Within this block, attendees_link() links every registered person to `participant`
    instead of matching them (a registration made from that participant's card carries no name
    or phone to match on, and would otherwise make a new, orphan participant)."""
    token = _KNOWN_PARTICIPANT.set(participant)
    try:
        yield
    finally:
        _KNOWN_PARTICIPANT.reset(token)


_MATCH_KEY_READ = f"SELECT secret FROM {MatchKey._meta.db_table} WHERE organization_id = %s"  # noqa: S608 (name from the model)


def match_secret(organization_id: int) -> bytes:
    """The organisation's secret, share-locked until the caller's transaction ends.

    The share lock is what keeps hashes and key in step: a rotation (which locks the row for
    update) waits for registrations that are hashing with the old secret to commit, then
    re-computes their hashes too; a registration arriving during a rotation waits for it and
    reads the new secret. Registrations do not block each other (share locks are compatible).
    One statement, no ORM model built: this runs on every registration."""
    # SQLite (make run) has no row locks: its one writer at a time gives the same order.
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_MATCH_KEY_READ + lock, [organization_id])
        row = cursor.fetchone()
    if row is None:
        MatchKey.objects.get_or_create(organization_id=organization_id)
        return match_secret(organization_id)
    return bytes(row[0])


def keyed_hash(secret: bytes, *parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def person_hashes(secret: bytes, *, phone: str, first_name: str, age_band: str) -> dict:
    """The three hashes of one person: exact match, phone alone, first name alone."""
    name = name_normalise(first_name)
    return {
        "match_hash": keyed_hash(secret, "person", phone, name, age_band)
        if phone and name
        else None,
        "phone_hash": keyed_hash(secret, "phone", phone) if phone else "",
        "name_hash": keyed_hash(secret, "name", name) if name else "",
    }


def _preferred_channel(registration: Registration) -> str:
    if not registration.consent_contact:
        return Channel.NONE
    if registration.phone:
        return Channel.SMS
    return Channel.EMAIL if registration.email else Channel.NONE


def _new_participant(*, organization_id: int, attendee: Attendee, registration, hashes):
    return Participant(
        organization_id=organization_id,
        gender=attendee.gender,
        age_band=attendee.age_band,
        profile=attendee.profile,
        preferred_language=registration.language,
        preferred_channel=_preferred_channel(registration),
        **hashes,
    )


def _participants_for(*, organization_id: int, registration, people) -> tuple[list[int], set[int]]:
    """The participant id of each (attendee, hashes) in `people`, and the ids created now.

    A constant number of statements whatever the household's size: one lookup of the exact
    matches, one insert of the people without a match key, one insert of the new keyed people
    (ON CONFLICT DO NOTHING: a simultaneous registration of the same person may have won), and one
    lookup of those. The unique constraint on the match hash is what makes it one participant."""
    wanted = {hashes["match_hash"] for _attendee, hashes in people if hashes["match_hash"]}
    by_hash = dict(
        Participant.objects.filter(
            organization_id=organization_id, match_hash__in=wanted
        ).values_list("match_hash", "pk")
        if wanted
        else ()
    )
    plain, keyed = [], {}
    for attendee, hashes in people:
        match_hash = hashes["match_hash"]
        if match_hash is None:
            plain.append(
                _new_participant(
                    organization_id=organization_id,
                    attendee=attendee,
                    registration=registration,
                    hashes=hashes,
                )
            )
        elif match_hash not in by_hash and match_hash not in keyed:
            keyed[match_hash] = _new_participant(
                organization_id=organization_id,
                attendee=attendee,
                registration=registration,
                hashes=hashes,
            )
    if plain:
        Participant.objects.bulk_create(plain)
    created = {participant.pk for participant in plain}
    if keyed:
        Participant.objects.bulk_create(keyed.values(), ignore_conflicts=True)
        found = dict(
            Participant.objects.filter(
                organization_id=organization_id, match_hash__in=list(keyed)
            ).values_list("match_hash", "pk")
        )
        by_hash.update(found)
        created.update(found.values())
    plain_ids = iter(participant.pk for participant in plain)
    ids = [
        by_hash[hashes["match_hash"]] if hashes["match_hash"] else next(plain_ids)
        for _attendee, hashes in people
    ]
    return ids, created


def attendees_link(
    *, registration: Registration, attendees: list[Attendee]
) -> list[ParticipantLink]:
    """Link each of `attendees` (people of `registration`) to their participant.

    On every registration, inside its transaction, so a constant handful of statements: the key,
    the participants (see _participants_for) and the links. Possible duplicates of the people
    seen for the first time are looked for after commit, in the background: they only feed the
    organizers' review queue, and a registration must not wait for them."""
    organization_id = registration.event.organizer_id
    known = _KNOWN_PARTICIPANT.get()
    if known is not None:
        if known.organization_id != organization_id:
            raise ValueError("a participant is linked only within their own organisation")
        return [
            ParticipantLink.objects.update_or_create(
                attendee=attendee, defaults={"participant": known}
            )[0]
            for attendee in attendees
        ]
    secret = match_secret(organization_id)
    people = [
        (
            attendee,
            person_hashes(
                secret,
                phone=registration.phone,
                first_name=attendee.first_name,
                age_band=attendee.age_band,
            ),
        )
        for attendee in attendees
    ]
    ids, created = _participants_for(
        organization_id=organization_id, registration=registration, people=people
    )
    # A member typed into the admin may be linked again when their ticket is issued.
    links = ParticipantLink.objects.bulk_create(
        [
            ParticipantLink(attendee=attendee, participant_id=participant_id)
            for (attendee, _hashes), participant_id in zip(people, ids, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["attendee"],
        update_fields=["participant"],
    )
    if created:
        from ..tasks import duplicates_find_task

        new_ids = sorted(created)
        transaction.on_commit(lambda: duplicates_find_task.delay(new_ids))
    return links


def duplicates_find_for(*, participant_ids: list[int]) -> int:
    """Look for the possible duplicates of these participants (seen for the first time), each
    under the first names its registrations give. Returns how many pairs were recorded."""
    names = _names_of(participant_ids)
    found = 0
    for participant in Participant.objects.filter(pk__in=participant_ids, merged_into__isnull=True):
        for name in sorted(names.get(participant.pk, {""})):
            found += len(duplicates_find(participant=participant, first_name=name))
    return found


def _names_of(participant_ids) -> dict[int, set[str]]:
    """Normalised first names each participant was registered under (registrations still hold
    them until they are purged)."""
    names: dict[int, set[str]] = {}
    rows = ParticipantLink.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", "attendee__first_name"
    )
    for participant_id, first_name in rows:
        name = name_normalise(first_name)
        if name:
            names.setdefault(participant_id, set()).add(name)
    return names


def _close(name: str, others: set[str]) -> int | None:
    """The smallest distance to one of `others` when it is a likely typo, else None."""
    limit = 1 if len(name) <= SHORT_NAME else 2
    distances = [name_distance(name, other) for other in others]
    best = min(distances, default=None)
    return best if best is not None and 0 < best <= limit else None


def duplicates_find(*, participant: Participant, first_name: str) -> list[DuplicateCandidate]:
    """Record who a new participant may already be: same phone with a close first name (or the
    same name at another age), or the same first name, gender and age with another phone."""
    name = name_normalise(first_name)
    others = Participant.objects.filter(
        organization_id=participant.organization_id, merged_into__isnull=True
    ).exclude(pk=participant.pk)
    found: dict[int, tuple[str, int]] = {}
    # Two looks: same phone (a close name, or the same name at another age), and same name with
    # another phone.
    looks = []
    if participant.phone_hash and name:
        looks.append(
            others.filter(phone_hash=participant.phone_hash).values_list(
                "pk", "age_band", "phone_hash"
            )[:MAX_CANDIDATES]
        )
    if participant.name_hash:
        same_name = others.filter(name_hash=participant.name_hash, gender=participant.gender)
        if participant.phone_hash:
            # The same phone is the other look (with the age that tells family apart).
            same_name = same_name.exclude(phone_hash=participant.phone_hash)
        if participant.birth_year:
            same_name = same_name.filter(birth_year=participant.birth_year)
        else:
            same_name = same_name.filter(age_band=participant.age_band)
        looks.append(same_name.values_list("pk", "age_band", "phone_hash")[:MAX_CANDIDATES])
    # Two plain queries: SQLite (make run) refuses LIMIT inside a UNION.
    rows = [row for look in looks for row in look]
    same_phone = [
        row for row in rows if participant.phone_hash and row[2] == participant.phone_hash
    ]
    names = _names_of([pk for pk, _age, _phone in same_phone]) if same_phone and name else {}
    for other_id, age_band, _phone in same_phone:
        other_names = names.get(other_id, set())
        if name in other_names and age_band != participant.age_band:
            found[other_id] = (DuplicateCandidate.Reason.SAME_PHONE_SAME_NAME, 80)
        elif (distance := _close(name, other_names)) is not None:
            found[other_id] = (DuplicateCandidate.Reason.SAME_PHONE_CLOSE_NAME, 100 - 10 * distance)
    for other_id, _age, phone_hash in rows:
        if not (participant.phone_hash and phone_hash == participant.phone_hash):
            found.setdefault(other_id, (DuplicateCandidate.Reason.SAME_NAME_OTHER_PHONE, 60))
    candidates = [
        DuplicateCandidate(
            organization_id=participant.organization_id,
            first_id=min(participant.pk, other_id),
            second_id=max(participant.pk, other_id),
            reason=reason,
            score=score,
        )
        for other_id, (reason, score) in list(found.items())[:MAX_CANDIDATES]
    ]
    if candidates:
        # One statement; a pair already recorded (with its decision) is left as it is.
        DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True)
    return candidates
