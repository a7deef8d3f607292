"""The programme reach table (one row per person and event, attendance/reach.py) stays equal to a
recomputation after everything that changes who a ticket is or what they count as: links made,
moved and removed, merges and their undo, demographics of a participant or of an unlinked
attendee, an erasure, a session moved to another day, an event moved to another programme, and
concurrent admissions of one person at two doors. The figures read from it equal the rows'."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from attendance.models import PersonReach
from attendance.reach import reach_check
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_create
from participants.models import ParticipantLink
from participants.services.merging import participants_merge, participants_unmerge
from participants.services.retention import participant_erase
from reporting.figures.consistency import figures_differences
from tests.concurrency import run_together
from tests.factories import (
    EventFactory,
    ParticipantFactory,
    ParticipantLinkFactory,
    ProgrammeFactory,
    SessionFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("door_open")]


def assert_exact(*programmes):
    assert reach_check() == {"person_reach": 0, "reach_cells": 0}
    for programme in programmes:
        assert figures_differences(programme=programme) == []


def scan(token, session, ticket):
    return checkin_scan(
        token=token, text=ticket.secret, session=session, gate="A", nonce=uuid.uuid4()
    )["status"]


@pytest.fixture
def world(session):
    """Two events of one programme, both open at the door's hour; three tickets at each, each
    attendee linked to a participant of the organiser; one more attendee left unlinked."""
    event = session.event
    other_event = EventFactory(
        programme=event.programme, organizer=event.organizer, start_date=event.start_date
    )
    other_session = SessionFactory(event=other_event, date=session.date)
    tickets = []
    for current in (event, other_event):
        for _number in range(3):
            ticket = TicketFactory(attendee__registration__event=current)
            ParticipantLinkFactory(attendee=ticket.attendee)
            tickets.append(ticket)
    unlinked = TicketFactory(attendee__registration__event=event)
    return {
        "programme": event.programme,
        "sessions": [session, other_session],
        "tickets": tickets,
        "unlinked": unlinked,
    }


def admit_all(token, world, issued_other):
    session, other_session = world["sessions"]
    for ticket in world["tickets"][:3] + [world["unlinked"]]:
        assert scan(token, session, ticket) == "admitted"
    for ticket in world["tickets"][3:]:
        assert scan(issued_other, other_session, ticket) == "admitted"


@pytest.fixture
def other_token(world):
    issued = door_token_create(label="B", events=[world["sessions"][1].event], created_by=None)
    return issued.door_token


def participant_of(ticket):
    return ParticipantLink.objects.get(attendee=ticket.attendee).participant


@pytest.mark.django_db
def test_scans_give_one_row_per_person_and_event(token, other_token, world):
    admit_all(token, world, other_token)
    assert PersonReach.objects.count() == 7
    unlinked = PersonReach.objects.get(person=-world["unlinked"].attendee_id)
    assert (unlinked.sessions, unlinked.events, unlinked.counted_once) == (1, 1, True)
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_merges_their_undo_and_demographics_keep_the_reach_exact(token, other_token, world):
    admit_all(token, world, other_token)
    organizer = UserFactory(is_staff=True, is_superuser=True)
    tickets = world["tickets"]
    kept, merged = participant_of(tickets[0]), participant_of(tickets[3])
    carried = participant_of(tickets[4])
    # `carried` was merged into `merged` first: merging `merged` into `kept` carries it along.
    first = participants_merge(kept=merged, merged=carried, actor=organizer)
    assert_exact(world["programme"])
    second = participants_merge(kept=kept, merged=merged, actor=organizer)
    row = PersonReach.objects.get(person=kept.pk, event=world["sessions"][1].event)
    assert row.events == 2
    assert PersonReach.objects.filter(person=kept.pk).count() == 2
    assert not PersonReach.objects.filter(person__in=[merged.pk, carried.pk]).exists()
    assert_exact(world["programme"])

    kept.gender = "male"
    kept.profile = "refugee"
    kept.save()
    assert set(PersonReach.objects.filter(person=kept.pk).values_list("gender", flat=True)) == {
        "male"
    }
    assert_exact(world["programme"])

    participants_unmerge(merge=second, actor=organizer)
    assert_exact(world["programme"])
    participants_unmerge(merge=first, actor=organizer)
    assert PersonReach.objects.filter(person=carried.pk).count() == 1
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_links_attendees_sessions_and_events_moved_keep_the_reach_exact(token, other_token, world):
    admit_all(token, world, other_token)
    tickets, unlinked = world["tickets"], world["unlinked"]
    # The unlinked attendee's own demographics count until they are linked.
    unlinked.attendee.gender = "male"
    unlinked.attendee.save()
    assert PersonReach.objects.get(person=-unlinked.attendee_id).gender == "male"
    assert_exact(world["programme"])

    someone = participant_of(tickets[3])
    ParticipantLink.objects.create(attendee=unlinked.attendee, participant=someone)
    assert not PersonReach.objects.filter(person=-unlinked.attendee_id).exists()
    assert PersonReach.objects.get(person=someone.pk, event=unlinked.event).events == 2
    assert_exact(world["programme"])

    # A link moved to another participant, then removed.
    other = ParticipantFactory(organization=someone.organization, gender="other")
    ParticipantLink.objects.filter(attendee=unlinked.attendee).update(participant=other)
    assert PersonReach.objects.get(person=other.pk).gender == "other"
    assert_exact(world["programme"])
    ParticipantLink.objects.filter(attendee=unlinked.attendee).delete()
    assert PersonReach.objects.filter(person=-unlinked.attendee_id).exists()
    assert_exact(world["programme"])

    # The second event's session moves a week earlier: first dates and first-time rows follow.
    other_session = world["sessions"][1]
    other_session.date -= datetime.timedelta(days=7)
    other_session.save()
    assert_exact(world["programme"])

    # The second event moves to another programme: both programmes' people follow.
    elsewhere = ProgrammeFactory(lead_organization=world["programme"].lead_organization)
    other_session.event.programme = elsewhere
    other_session.event.save()
    assert not PersonReach.objects.filter(
        programme=world["programme"], event=other_session.event
    ).exists()
    assert_exact(world["programme"], elsewhere)


@pytest.mark.django_db
def test_an_erasure_keeps_the_reach_and_figures_identical(token, other_token, world):
    admit_all(token, world, other_token)
    before = sorted(PersonReach.objects.values_list("person", "event", "gender", "sessions"))
    participant_erase(
        participant=participant_of(world["tickets"][0]),
        actor=UserFactory(is_staff=True, is_superuser=True),
    )
    after = sorted(PersonReach.objects.values_list("person", "event", "gender", "sessions"))
    assert before == after
    assert_exact(world["programme"])


@pytest.mark.django_db(transaction=True)
def test_one_person_admitted_at_two_doors_at_once_keeps_the_reach_exact(token, other_token, world):
    organizer = UserFactory(is_staff=True, is_superuser=True)
    tickets = world["tickets"]
    # One person holding a ticket at each event.
    participants_merge(
        kept=participant_of(tickets[0]), merged=participant_of(tickets[3]), actor=organizer
    )
    session, other_session = world["sessions"]
    statuses, errors = run_together(
        [
            lambda: scan(token, session, tickets[0]),
            lambda: scan(other_token, other_session, tickets[3]),
        ]
    )
    assert errors == []
    assert statuses == ["admitted", "admitted"]
    row = PersonReach.objects.get(person=participant_of(tickets[0]).pk, event=session.event)
    assert row.events == 2
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_the_consistency_command_finds_and_rebuilds_a_damaged_reach(token, other_token, world):
    admit_all(token, world, other_token)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE attendance_personreach SET sessions = sessions + 5")
        cursor.execute("UPDATE attendance_reachcell SET people = people + 1")
    assert reach_check()["person_reach"] > 0
    with pytest.raises(CommandError):
        call_command("figures_tallies", "--skip-figures")
    call_command("figures_tallies", "--rebuild")
    assert_exact(world["programme"])
