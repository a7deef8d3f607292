"""The figure tallies stay equal to a recomputation from the attendance rows after every kind of
write (scans, walk-ins, class headcounts, paper lists, sync replays, voids, deletions, a session
moved to another day), under concurrency, and after a rolled-back admission; the consistency
command finds a damaged tally and rebuilds it."""

import datetime
import functools
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from attendance.models import AnonymousTally, Attendance, ScanAttempt, TicketTally
from attendance.services.corrections import attendance_void, paper_admissions_record
from attendance.services.counted import CountedGroup, class_tally_record, walk_in_record
from attendance.services.scans import checkin_scan
from attendance.tallies import tallies_check
from reporting.figures.consistency import figures_differences
from tests.attendance.test_sync import offline_scan, offline_walk_in
from tests.concurrency import run_together
from tests.factories import SessionFactory, TicketFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("door_open")]

EXACT = {"ticket_tallies": 0, "anonymous_tallies": 0, "person_reach": 0, "reach_cells": 0}


def assert_exact(programme):
    assert tallies_check() == EXACT
    assert figures_differences(programme=programme) == []


def scan(token, session, ticket):
    return checkin_scan(
        token=token, text=ticket.secret, session=session, gate="A", nonce=uuid.uuid4()
    )["status"]


def walk_in(token, session, count=1, gender="female"):
    return walk_in_record(
        token=token,
        session=session,
        groups=[CountedGroup(gender=gender, age_band="25-59", profile="migrant", count=count)],
        nonce=uuid.uuid4(),
    )


@pytest.fixture
def tickets(session):
    return [TicketFactory(attendee__registration__event=session.event) for _ in range(4)]


@pytest.mark.django_db
def test_every_door_write_keeps_the_tallies_exact(token, session, tickets, sync):
    programme = session.event.programme
    second = SessionFactory(event=session.event, date=session.date)
    for ticket in tickets[:3]:
        assert scan(token, session, ticket) == "admitted"
    assert scan(token, session, tickets[0]) == "already_admitted"
    walk_in(token, session, count=3)
    walk_in(token, session, gender="male")
    assert_exact(programme)
    assert TicketTally.objects.get(ticket=tickets[0]).sessions == 1
    assert AnonymousTally.objects.get(session=session, gender="female").headcount == 3

    # An offline scanner's queue, replayed twice: counted once.
    items = [offline_scan(second, tickets[0]), offline_walk_in(second)]
    assert sync(items).status_code == 200
    assert sync(items).status_code == 200
    assert TicketTally.objects.get(ticket=tickets[0]).sessions == 2
    assert_exact(programme)

    organizer = UserFactory(is_staff=True, is_superuser=True)
    class_tally_record(
        session=second,
        groups=[CountedGroup(gender="male", age_band="5-11", profile="host", count=25)],
        user=organizer,
    )
    paper_admissions_record(session=second, ticket_ids=[tickets[3].pk], user=organizer)
    assert_exact(programme)


@pytest.mark.django_db
def test_voids_deletions_and_a_moved_session_keep_the_tallies_exact(token, session, tickets):
    programme = session.event.programme
    earlier = SessionFactory(event=session.event, date=session.date - datetime.timedelta(days=7))
    organizer = UserFactory(is_staff=True, is_superuser=True)
    paper_admissions_record(session=earlier, ticket_ids=[tickets[0].pk], user=organizer)
    scan(token, session, tickets[0])
    walk_in(token, session, count=2)
    walk_in(token, session, count=1)
    assert TicketTally.objects.get(ticket=tickets[0]).first_date == earlier.date

    first = Attendance.objects.get(ticket=tickets[0], session=earlier)
    attendance_void(attendance=first, user=organizer, reason="Scanned the wrong list")
    tally = TicketTally.objects.get(ticket=tickets[0])
    assert (tally.sessions, tally.first_date) == (1, session.date)
    assert_exact(programme)

    # Undone, the ticket can be admitted again and the tally follows.
    paper_admissions_record(session=earlier, ticket_ids=[tickets[0].pk], user=organizer)
    earlier.date = session.date + datetime.timedelta(days=3)
    earlier.save()
    assert TicketTally.objects.get(ticket=tickets[0]).first_date == session.date
    assert_exact(programme)

    walk_in_rows = Attendance.objects.filter(session=session, ticket__isnull=True)
    attendance_void(attendance=walk_in_rows.first(), user=organizer, reason="Counted twice")
    # Rows are voided, never deleted, by the application; a deletion (by hand, in SQL) is
    # followed all the same. The scan log points at scanned rows: those go first.
    ScanAttempt.objects.all().delete()
    Attendance.objects.filter(ticket=tickets[0]).delete()
    assert not TicketTally.objects.filter(ticket=tickets[0]).exists()
    assert_exact(programme)
    Attendance.objects.all().delete()
    assert not AnonymousTally.objects.exists() and not TicketTally.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_admission_leaves_no_tally(token, session, ticket):
    with pytest.raises(RuntimeError), transaction.atomic():
        scan(token, session, ticket)
        assert TicketTally.objects.filter(ticket=ticket).exists()
        raise RuntimeError("the request failed after the admission")
    assert not TicketTally.objects.exists()
    assert tallies_check() == EXACT


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_walk_ins_and_voids_keep_the_tallies_exact(token, session):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(12)]
    walk_in(token, session, count=2)
    undone = Attendance.objects.get()
    organizer = UserFactory(is_staff=True, is_superuser=True)
    jobs = [functools.partial(scan, token, session, ticket) for ticket in tickets]
    jobs += [functools.partial(scan, token, session, tickets[0]) for _ in range(4)]
    jobs += [functools.partial(walk_in, token, session) for _ in range(8)]
    jobs.append(
        functools.partial(attendance_void, attendance=undone, user=organizer, reason="Twice")
    )

    results, errors = run_together(jobs)

    assert errors == []
    assert Attendance.objects.filter(ticket__isnull=False).count() == 12
    assert AnonymousTally.objects.get().headcount == 8
    assert TicketTally.objects.count() == 12
    assert_exact(session.event.programme)


@pytest.mark.django_db
def test_the_consistency_command_finds_and_rebuilds_a_damaged_tally(token, session, ticket):
    scan(token, session, ticket)
    walk_in(token, session, count=2)
    call_command("figures_tallies")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE attendance_tickettally SET sessions = 5")

    with pytest.raises(CommandError, match="differ"):
        call_command("figures_tallies")

    call_command("figures_tallies", "--rebuild")
    assert TicketTally.objects.get().sessions == 1
    with pytest.raises(CommandError, match="No programme"):
        call_command("figures_tallies", "--programme", "999999")
