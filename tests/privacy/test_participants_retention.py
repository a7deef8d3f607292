"""Participants at the end of retention and on request: the person is forgotten (hashes cleared,
the organisation's key rotated so an old pseudonym cannot be tied to a phone again), the people
still named keep matching, and every figure stays exactly the same."""

import datetime
import zoneinfo

import pytest
import time_machine

from core.errors import PermissionDenied
from core.models import AuditEntry
from events.models import Attendee, Registration
from events.services.retention import retention_purge_expired
from participants.models import MatchKey, Participant, ParticipantLink
from participants.services.matching import person_hashes
from participants.services.retention import participant_erase
from reporting.selectors import figures_for_event, figures_for_programme
from tests.factories import (
    TODAY,
    AttendanceFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgrammeFactory,
    SessionFactory,
    admission_of,
)
from tests.participants.test_matching import participant_of, register

pytestmark = pytest.mark.django_db
OUJDA = zoneinfo.ZoneInfo("Africa/Casablanca")
LONG_AGO = TODAY - datetime.timedelta(days=90)
HASHES = ("match_hash", "phone_hash", "name_hash")


@pytest.fixture
def programme_world():
    """An event that ended 90 days ago (past the 30-day retention) and one today. Aminata came
    only to the old one; Fatou came to both; Mariam brought her son Ibrahim to the old one and
    comes back alone today. Everyone registered was admitted, and a walk-in came too."""
    organization = OrganizationFactory()
    programme = ProgrammeFactory(lead_organization=organization, retention_days=30)
    old = EventFactory(programme=programme, start_date=LONG_AGO, end_date=LONG_AGO)
    recent = EventFactory(programme=programme)
    registrations = {
        "aminata": register(old, "Aminata", "0611111111"),
        "fatou_old": register(old, "Fatou", "0622222222"),
        "fatou_recent": register(recent, "fatou", "+212622222222"),
        "mariam_old": register(old, "Mariam", "0633333333", members=[("Ibrahim", "male", "5-11")]),
        "mariam_recent": register(recent, "Mariam", "0633333333"),
    }
    for event in (old, recent):
        session = SessionFactory(event=event, date=event.start_date)
        for registration in Registration.objects.filter(event=event):
            for attendee in registration.members.all():
                admission_of(session, attendee.ticket)
        AttendanceFactory(session=session)
    return organization, programme, (old, recent), registrations


def all_figures(programme, events):
    return (
        figures_for_programme(programme=programme),
        [figures_for_event(event=event) for event in events],
    )


def secret_of(organization) -> bytes:
    return bytes(MatchKey.objects.get(organization=organization).secret)


def stored_hashes() -> set[str]:
    values = set()
    for row in Participant.objects.values_list(*HASHES):
        values |= {value for value in row if value}
    return values


def purge_now():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(3), OUJDA)):
        return retention_purge_expired()


def test_purge_forgets_the_person_and_rotates_the_key_figures_identical(programme_world):
    organization, programme, events, registrations = programme_world
    aminata = participant_of(registrations["aminata"])
    ibrahim = participant_of(registrations["mariam_old"], "Ibrahim")
    aminata_phone = registrations["aminata"].phone
    old_secret = secret_of(organization)
    before = all_figures(programme, events)
    old_aminata = person_hashes(
        old_secret, phone=aminata_phone, first_name="Aminata", age_band="25-59"
    )
    assert old_aminata["match_hash"] == aminata.match_hash

    assert purge_now() == 3

    # Figures: exactly the same, and about real numbers.
    assert all_figures(programme, events) == before
    assert before[0].totals
    # The old secret is stored nowhere any more.
    assert all(bytes(key.secret) != old_secret for key in MatchKey.objects.all())
    new_secret = secret_of(organization)
    # Aminata (and Ibrahim, who came only to the old event) are forgotten, demographics kept.
    for forgotten in (aminata, ibrahim):
        forgotten.refresh_from_db()
        assert (forgotten.match_hash, forgotten.phone_hash, forgotten.name_hash) == (None, "", "")
        assert forgotten.personal_data_purged_at is not None
    assert (ibrahim.gender, ibrahim.age_band) == ("male", "5-11")
    # Nobody, with the old key or the new one, finds her from her phone and name.
    stored = stored_hashes()
    for secret in (old_secret, new_secret):
        hashes = person_hashes(secret, phone=aminata_phone, first_name="Aminata", age_band="25-59")
        assert not set(hashes.values()) & stored
    # No hash computed with the old key survives for anyone.
    for name, key in (("fatou_recent", "Fatou"), ("mariam_recent", "Mariam")):
        phone = registrations[name].phone
        assert (
            not set(
                person_hashes(old_secret, phone=phone, first_name=key, age_band="25-59").values()
            )
            & stored
        )


def test_people_still_named_keep_matching_after_the_purge(programme_world):
    organization, programme, (_old, recent), registrations = programme_world
    fatou = participant_of(registrations["fatou_recent"])
    mariam = participant_of(registrations["mariam_recent"])
    assert participant_of(registrations["fatou_old"]) == fatou

    purge_now()

    fatou.refresh_from_db()
    assert fatou.personal_data_purged_at is None
    assert (
        fatou.match_hash
        == (
            person_hashes(
                secret_of(organization),
                phone=registrations["fatou_recent"].phone,
                first_name="fatou",
                age_band="25-59",
            )["match_hash"]
        )
    )
    later_event = EventFactory(programme=programme)
    assert participant_of(register(later_event, "FATOU", "00212 622 222 222")) == fatou
    assert participant_of(register(later_event, "Mariam", "0633333333")) == mariam
    assert Participant.objects.filter(organization=organization).count() == 4


def test_rotation_leaves_other_organisations_keys_alone(programme_world):
    other = OrganizationFactory()
    register(EventFactory(programme=ProgrammeFactory(lead_organization=other)), "Awa", "0644444444")
    other_secret = secret_of(other)

    purge_now()

    assert secret_of(other) == other_secret


def test_erasing_a_contact_erases_her_registrations_figures_identical(programme_world):
    organization, programme, events, registrations = programme_world
    organizer = MembershipFactory(organization=organization).user
    mariam = participant_of(registrations["mariam_recent"])
    fatou = participant_of(registrations["fatou_recent"])
    old_secret = secret_of(organization)
    before = all_figures(programme, events)

    participant_erase(participant=mariam, actor=organizer)

    assert all_figures(programme, events) == before
    for name in ("mariam_old", "mariam_recent"):
        registration = Registration.objects.get(pk=registrations[name].pk)
        assert registration.personal_data_purged_at is not None
        assert (registration.contact_name, registration.phone) == ("", "")
        assert not registration.members.exclude(first_name="").exists()
    # Others' registrations are untouched, and they still match under the rotated key.
    assert Registration.objects.get(pk=registrations["fatou_recent"].pk).phone
    mariam.refresh_from_db()
    assert (mariam.match_hash, mariam.phone_hash, mariam.name_hash) == (None, "", "")
    assert mariam.personal_data_purged_at is not None
    assert secret_of(organization) != old_secret
    assert participant_of(register(events[1], "Fatou", "0622222222")) == fatou
    entry = AuditEntry.objects.get(action="participant.erase")
    assert entry.actor == organizer and entry.target_id == str(mariam.pk)
    assert entry.detail == {"registrations": 2, "members": 0}


def test_erasing_a_household_member_keeps_the_contact_and_the_others(programme_world):
    organization, programme, events, registrations = programme_world
    organizer = MembershipFactory(organization=organization).user
    ibrahim = participant_of(registrations["mariam_old"], "Ibrahim")
    mariam = participant_of(registrations["mariam_recent"])
    before = all_figures(programme, events)

    participant_erase(participant=ibrahim, actor=organizer)

    assert all_figures(programme, events) == before
    registration = Registration.objects.get(pk=registrations["mariam_old"].pk)
    assert registration.personal_data_purged_at is None
    assert registration.contact_name == "Mariam" and registration.phone
    names = dict(registration.members.values_list("is_contact", "first_name"))
    assert names == {True: "Mariam", False: ""}
    ibrahim.refresh_from_db()
    assert (ibrahim.match_hash, ibrahim.phone_hash, ibrahim.name_hash) == (None, "", "")
    assert (ibrahim.gender, ibrahim.age_band) == ("male", "5-11")
    # His mother is still known, under the rotated key.
    assert participant_of(register(events[1], "Mariam", "0633333333")) == mariam
    assert AuditEntry.objects.filter(action="attendee.erase").count() == 1


def test_only_the_participants_organisation_may_erase(programme_world):
    _organization, _programme, _events, registrations = programme_world
    fatou = participant_of(registrations["fatou_recent"])
    stranger = MembershipFactory(organization=OrganizationFactory()).user

    with pytest.raises(PermissionDenied):
        participant_erase(participant=fatou, actor=stranger)

    fatou.refresh_from_db()
    assert fatou.match_hash
    assert Attendee.objects.filter(first_name="Fatou").exists()
    assert ParticipantLink.objects.filter(participant=fatou).count() == 2


def test_erase_through_the_api(client, programme_world):
    organization, _programme, _events, registrations = programme_world
    organizer = MembershipFactory(organization=organization).user
    fatou = participant_of(registrations["fatou_recent"])
    client.force_login(organizer)

    response = client.post(f"/api/v1/participants/{fatou.pk}/erase")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == fatou.pk and body["age_band"] == "25-59"
    assert "Fatou" not in response.content.decode()
    assert not Attendee.objects.filter(first_name__iexact="fatou").exists()
    assert client.post("/api/v1/participants/999999/erase").status_code == 404
