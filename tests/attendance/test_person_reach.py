"""The programme reach table (one row per person and event, attendance/reach.py) stays equal to a
recomputation after everything that changes who a ticket is or what they count as: links made,
moved and removed, merges and their undo, demographics of a participant or of an unlinked
attendee, an erasure, a session moved to another day, an event moved to another programme, and
concurrent admissions of one person at two doors. The figures read from it equal the rows'."""

import datetime
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from attendance.models import PersonReach, ReachPending
from attendance.reach import reach_check, reach_differences, reach_flush, reach_rebuild
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_create
from attendance.tasks import reach_flush_task
from participants.models import ParticipantLink
from participants.services.merging import participants_merge, participants_unmerge
from participants.services.retention import participant_erase
from reporting.figures.consistency import figures_differences
from reporting.figures.reports import figures_for_programme
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


def flushed_reach():
    """The reach rows once the queue is flushed, as the figures read them."""
    reach_flush()
    return PersonReach.objects


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
    assert flushed_reach().count() == 7
    unlinked = flushed_reach().get(person=-world["unlinked"].attendee_id)
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
    row = flushed_reach().get(person=kept.pk, event=world["sessions"][1].event)
    assert row.events == 2
    assert flushed_reach().filter(person=kept.pk).count() == 2
    assert not flushed_reach().filter(person__in=[merged.pk, carried.pk]).exists()
    assert_exact(world["programme"])

    kept.gender = "male"
    kept.profile = "refugee"
    kept.save()
    assert set(flushed_reach().filter(person=kept.pk).values_list("gender", flat=True)) == {"male"}
    assert_exact(world["programme"])

    participants_unmerge(merge=second, actor=organizer)
    assert_exact(world["programme"])
    participants_unmerge(merge=first, actor=organizer)
    assert flushed_reach().filter(person=carried.pk).count() == 1
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_links_attendees_sessions_and_events_moved_keep_the_reach_exact(token, other_token, world):
    admit_all(token, world, other_token)
    tickets, unlinked = world["tickets"], world["unlinked"]
    # The unlinked attendee's own demographics count until they are linked.
    unlinked.attendee.gender = "male"
    unlinked.attendee.save()
    assert flushed_reach().get(person=-unlinked.attendee_id).gender == "male"
    assert_exact(world["programme"])

    someone = participant_of(tickets[3])
    ParticipantLink.objects.create(attendee=unlinked.attendee, participant=someone)
    assert not flushed_reach().filter(person=-unlinked.attendee_id).exists()
    assert flushed_reach().get(person=someone.pk, event=unlinked.event).events == 2
    assert_exact(world["programme"])

    # A link moved to another participant, then removed.
    other = ParticipantFactory(organization=someone.organization, gender="other")
    ParticipantLink.objects.filter(attendee=unlinked.attendee).update(participant=other)
    assert flushed_reach().get(person=other.pk).gender == "other"
    assert_exact(world["programme"])
    ParticipantLink.objects.filter(attendee=unlinked.attendee).delete()
    assert flushed_reach().filter(person=-unlinked.attendee_id).exists()
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
    assert (
        not flushed_reach().filter(programme=world["programme"], event=other_session.event).exists()
    )
    assert_exact(world["programme"], elsewhere)


@pytest.mark.django_db
def test_an_erasure_keeps_the_reach_and_figures_identical(token, other_token, world):
    admit_all(token, world, other_token)
    before = sorted(flushed_reach().values_list("person", "event", "gender", "sessions"))
    participant_erase(
        participant=participant_of(world["tickets"][0]),
        actor=UserFactory(is_staff=True, is_superuser=True),
    )
    after = sorted(flushed_reach().values_list("person", "event", "gender", "sessions"))
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
    row = flushed_reach().get(person=participant_of(tickets[0]).pk, event=session.event)
    assert row.events == 2
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_the_consistency_command_finds_and_rebuilds_a_damaged_reach(token, other_token, world):
    admit_all(token, world, other_token)
    reach_flush()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE attendance_personreach SET sessions = sessions + 5")
        cursor.execute("UPDATE attendance_reachcell SET people = people + 1")
    assert reach_check()["person_reach"] > 0
    with pytest.raises(CommandError):
        call_command("figures_tallies", "--skip-figures")
    call_command("figures_tallies", "--rebuild")
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_an_admission_only_queues_the_person_and_the_next_figures_count_them(token, world):
    session = world["sessions"][0]
    ticket = world["tickets"][0]
    reach_flush()  # the links the fixture made
    assert scan(token, session, ticket) == "admitted"
    # The door wrote no reach row: it queued who it admitted.
    assert not PersonReach.objects.exists()
    assert list(ReachPending.objects.values_list("person", flat=True)) == [
        participant_of(ticket).pk
    ]
    # Figures read on the primary flush first: the person counts at once.
    assert figures_for_programme(programme=world["programme"]).totals.people_reached == 1
    assert not ReachPending.objects.exists()
    assert PersonReach.objects.get().person == participant_of(ticket).pk
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_a_write_rolled_back_queues_no_one(token, world):
    session = world["sessions"][0]
    reach_flush()  # the links the fixture made
    with pytest.raises(RuntimeError), transaction.atomic():
        assert scan(token, session, world["tickets"][0]) == "admitted"
        assert ReachPending.objects.count() == 1
        raise RuntimeError("the admission's transaction fails after the insert")
    assert not ReachPending.objects.exists()
    assert reach_flush() == 0
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_the_beat_task_flushes_what_is_queued_once(token, other_token, world):
    reach_flush()  # the links the fixture made
    admit_all(token, world, other_token)
    # The beat runs it on PostgreSQL (settings.REACH_FLUSH_SECONDS).
    assert settings.CELERY_BEAT_SCHEDULE["update-programme-reach"]["task"] == reach_flush_task.name
    assert reach_flush_task.apply().get() == 7
    assert reach_flush_task.apply().get() == 0
    assert PersonReach.objects.count() == 7
    assert_exact(world["programme"])


@pytest.mark.django_db(transaction=True)
def test_flushes_running_beside_admissions_leave_the_reach_exact(token, other_token, world):
    # Admissions and flushes interleave: whatever a flush takes, a person admitted meanwhile is
    # either in its snapshot or still queued for the next one.
    session, other_session = world["sessions"]
    tickets = world["tickets"]
    admissions = [lambda t=t: scan(token, session, t) for t in tickets[:3] + [world["unlinked"]]]
    admissions += [lambda t=t: scan(other_token, other_session, t) for t in tickets[3:]]
    flushes = [reach_flush for _ in range(4)]
    results, errors = run_together([*admissions, *flushes])
    assert errors == []
    # In the order they finished: the admissions' statuses among the flushes' counts.
    assert len(results) == len(admissions) + len(flushes)
    assert results.count("admitted") == len(admissions)
    assert_exact(world["programme"])
    assert PersonReach.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_a_flush_waits_for_the_people_another_flush_has_taken(token, world):
    # A flush that has taken a person from the queue but not committed: a second flush must not
    # return before the person is counted (skipping the taken rows would answer figures early).
    reach_flush()
    ticket = world["tickets"][0]
    assert scan(token, world["sessions"][0], ticket) == "admitted"
    person = participant_of(ticket).pk
    taken, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            assert reach_flush() == 1
            taken.set()
            assert release.wait(10)
        return "first"

    def second():
        assert taken.wait(10)
        reach_flush()
        return PersonReach.objects.filter(person=person).exists()

    def releaser():
        assert taken.wait(10)
        time.sleep(0.5)  # the second flush is blocked on the taken row by now
        release.set()
        return "released"

    results, errors = run_together([first, second, releaser])
    assert errors == []
    assert True in results
    assert results.index("first") < results.index(True)


@pytest.mark.django_db
def test_the_check_leaves_people_queued_after_its_flush_to_the_next_one(token, world):
    session, tickets = world["sessions"][0], world["tickets"]
    reach_flush()
    assert scan(token, session, tickets[0]) == "admitted"
    reach_flush()
    # Admitted after the check's flush: queued, so not a difference, while a damaged row of
    # someone counted already is one.
    assert scan(token, session, tickets[1]) == "admitted"
    assert reach_differences() == {"person_reach": 0, "reach_cells": 0}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE attendance_personreach SET sessions = sessions + 1 WHERE person = %s",
            [participant_of(tickets[0]).pk],
        )
    assert reach_differences() == {"person_reach": 2, "reach_cells": 2}
    reach_rebuild()
    assert reach_differences() == {"person_reach": 0, "reach_cells": 0}
    assert reach_flush() == 1
    assert_exact(world["programme"])


@pytest.mark.django_db
def test_a_flush_in_batches_takes_the_queue_in_steps_and_misses_no_one(token, other_token, world):
    reach_flush()
    admit_all(token, world, other_token)
    assert reach_flush(batch=2) == 7
    assert not ReachPending.objects.exists()
    assert PersonReach.objects.count() == 7
    assert_exact(world["programme"])
