"""Every person registered before participants existed gets linked, with the same exact-match
rule as new registrations (phone, normalised first name and age band), so figures count people
from the first day. Possible duplicates among them are not searched here: a migration must not
depend on the service code of today."""

import hashlib
import hmac
import secrets

from django.db import migrations

from participants.names import name_normalise


def _keyed(secret: bytes, *parts: str) -> str:
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _channel(registration) -> str:
    if not registration.consent_contact:
        return "none"
    if registration.phone:
        return "sms"
    return "email" if registration.email else "none"


def link_existing(apps, schema_editor):
    Attendee = apps.get_model("events", "Attendee")
    MatchKey = apps.get_model("participants", "MatchKey")
    Participant = apps.get_model("participants", "Participant")
    ParticipantLink = apps.get_model("participants", "ParticipantLink")
    secrets_by_org: dict[int, bytes] = {}
    known: dict[tuple[int, str], int] = {}
    attendees = Attendee.objects.filter(participant_link__isnull=True).select_related(
        "registration__event"
    )
    for attendee in attendees.order_by("registration_id", "pk").iterator(chunk_size=2000):
        registration = attendee.registration
        org_id = registration.event.organizer_id
        if org_id not in secrets_by_org:
            key = MatchKey.objects.filter(organization_id=org_id).first()
            if key is None:
                key = MatchKey.objects.create(organization_id=org_id, secret=secrets.token_bytes(32))
            secrets_by_org[org_id] = bytes(key.secret)
        secret = secrets_by_org[org_id]
        purged = registration.personal_data_purged_at is not None
        phone, name = registration.phone, name_normalise(attendee.first_name)
        match_hash = (
            _keyed(secret, "person", phone, name, attendee.age_band)
            if phone and name and not purged
            else None
        )
        participant_id = known.get((org_id, match_hash)) if match_hash else None
        if participant_id is None:
            participant = Participant.objects.create(
                organization_id=org_id,
                gender=attendee.gender,
                age_band=attendee.age_band,
                profile=attendee.profile,
                preferred_language=registration.language,
                preferred_channel=_channel(registration),
                match_hash=match_hash,
                phone_hash=_keyed(secret, "phone", phone) if phone and not purged else "",
                name_hash=_keyed(secret, "name", name) if name and not purged else "",
                personal_data_purged_at=registration.personal_data_purged_at,
            )
            participant_id = participant.pk
            if match_hash:
                known[(org_id, match_hash)] = participant_id
        ParticipantLink.objects.create(attendee_id=attendee.pk, participant_id=participant_id)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0001_initial"),
        ("events", "0002_venue_organization"),
    ]

    operations = [migrations.RunPython(link_existing, migrations.RunPython.noop)]
