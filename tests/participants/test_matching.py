"""Registered people become participants: the same person at several events is one participant;
people who share a phone stay apart; anything uncertain becomes a possible duplicate, never a
silent merge."""

import pytest
from django.test import TestCase

from events.models import Registration
from events.services.registrations import PersonData, registration_create
from participants.models import DuplicateCandidate, Participant, ParticipantLink
from participants.names import name_normalise
from tests.factories import EventFactory, OrganizationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    """Three published events of one organisation's programme."""
    organization = OrganizationFactory()
    programme = ProgrammeFactory(lead_organization=organization)
    return [EventFactory(programme=programme) for _ in range(3)]


def register(event, name, phone="", *, age_band="25-59", gender="female", members=()):
    # Possible duplicates are looked for after commit, in a task (eager in tests).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return registration_create(
            event=event,
            contact=PersonData(first_name=name, gender=gender, age_band=age_band),
            members=[PersonData(first_name=n, gender=g, age_band=a) for n, g, a in members],
            phone=phone,
            consent_register=True,
            consent_contact=True,
            source=Registration.Source.API,
        )


def participant_of(registration, name=None):
    members = registration.members.all()
    attendee = members.get(first_name=name) if name else members.get(is_contact=True)
    return ParticipantLink.objects.get(attendee=attendee).participant


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("  Aïcha ", "aicha"),
        ("MARIE-CLAIRE", "marieclaire"),
        ("Fatoumata Binta", "fatoumatabinta"),
        ("فَاطِمَة", "فاطمه"),
        ("أمينة", "امينه"),
        ("إيمان", "ايمان"),
        ("مـــريم", "مريم"),
    ],
)
def test_first_names_are_compared_without_case_accents_or_arabic_variants(typed, expected):
    assert name_normalise(typed) == expected


def test_the_same_person_at_three_events_is_one_participant(events):
    first = register(events[0], "Aminata", "0612345678")
    second = register(events[1], "aminata", "+212612345678")
    third = register(events[2], "AMINATA", "00212 6 12 34 56 78")
    ids = {participant_of(r).pk for r in (first, second, third)}
    assert len(ids) == 1
    assert DuplicateCandidate.objects.count() == 0


def test_a_household_sharing_one_phone_is_several_participants(events):
    family = register(
        events[0],
        "Mariam",
        "0612345678",
        members=[("Ibrahim", "male", "5-11"), ("Awa", "female", "0-4")],
    )
    again = register(
        events[1],
        "Mariam",
        "0612345678",
        members=[("Ibrahim", "male", "5-11"), ("Awa", "female", "0-4")],
    )
    first_ids = {participant_of(family, n).pk for n in ("Mariam", "Ibrahim", "Awa")}
    second_ids = {participant_of(again, n).pk for n in ("Mariam", "Ibrahim", "Awa")}
    assert len(first_ids) == 3
    assert first_ids == second_ids
    assert Participant.objects.count() == 3


def test_a_mother_and_daughter_of_the_same_name_are_told_apart_by_age_band(events):
    register(events[0], "Fatou", "0612345678", members=[("Fatou", "female", "5-11")])
    participants = {link.participant_id for link in ParticipantLink.objects.all()}
    assert len(participants) == 2
    candidate = DuplicateCandidate.objects.get()
    assert candidate.reason == DuplicateCandidate.Reason.SAME_PHONE_SAME_NAME


def test_a_typo_with_the_same_phone_is_a_possible_duplicate_not_a_merge(events):
    first = register(events[0], "Aminata", "0612345678")
    typo = register(events[1], "Amnata", "0612345678")
    assert participant_of(first) != participant_of(typo)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.reason == DuplicateCandidate.Reason.SAME_PHONE_CLOSE_NAME
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert {candidate.first_id, candidate.second_id} == {
        participant_of(first).pk,
        participant_of(typo).pk,
    }


def test_the_same_name_and_age_with_another_phone_is_a_possible_duplicate(events):
    register(events[0], "Yacouba", "0612345678", gender="male")
    register(events[1], "Yacouba", "0698765432", gender="male")
    register(events[2], "Yacouba", "0655555555", gender="female")  # another gender: no
    candidate = DuplicateCandidate.objects.get()
    assert candidate.reason == DuplicateCandidate.Reason.SAME_NAME_OTHER_PHONE
    assert candidate.score < 80


def test_people_without_a_phone_are_never_linked_automatically(events):
    first = register(events[0], "Moussa", gender="male")
    second = register(events[1], "Moussa", gender="male")
    assert participant_of(first) != participant_of(second)
    assert DuplicateCandidate.objects.get().reason == (
        DuplicateCandidate.Reason.SAME_NAME_OTHER_PHONE
    )


def test_another_organisation_never_shares_a_participant(events):
    other_event = EventFactory()
    mine = register(events[0], "Aminata", "0612345678")
    theirs = register(other_event, "Aminata", "0612345678")
    assert participant_of(mine) != participant_of(theirs)
    assert participant_of(mine).match_hash != participant_of(theirs).match_hash


def test_participants_hold_no_name_phone_or_email(events):
    register(events[0], "Aminata", "0612345678")
    participant = Participant.objects.get()
    stored = " ".join(str(value) for value in Participant.objects.values().get().values())
    for personal in ("Aminata", "aminata", "612345678"):
        assert personal not in stored
    assert participant.gender == "female"
