"""Who is inside now, where the event scans people out: every movement's answer (entry, exit,
re-entry, a group's) carries the session's count, so the scanner shows it after each scan."""

import uuid

import pytest

from attendance.selectors import inside_now, session_counts
from attendance.services.counted import CountedGroup, walk_in_record
from attendance.services.groups import checkin_group_admit
from attendance.services.scans import checkin_scan
from tests.attendance.test_group_admission import household_of
from tests.factories import DoorSettingsFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def exits(session):
    DoorSettingsFactory(event=session.event, exit_scans_enabled=True)


def scan(token, session, ticket, direction="entry"):
    return checkin_scan(
        token=token,
        text=ticket.secret,
        session=session,
        gate="A",
        nonce=uuid.uuid4(),
        direction=direction,
    )


@pytest.mark.usefixtures("exits")
def test_each_movement_answers_with_who_is_inside_now(token, session):
    awa, karim = (TicketFactory(attendee__registration__event=session.event) for _ in range(2))

    answers = [
        scan(token, session, awa),
        scan(token, session, karim),
        scan(token, session, awa, "exit"),
        scan(token, session, awa, "exit"),  # not inside: refused, the count stays
        scan(token, session, awa),  # back in
        scan(token, session, karim),  # already inside
    ]

    assert [a["status"] for a in answers] == [
        "admitted",
        "admitted",
        "exited",
        "not_inside",
        "admitted",
        "already_admitted",
    ]
    assert [a["inside_now"] for a in answers] == [1, 2, 1, 1, 2, 2]


@pytest.mark.usefixtures("exits")
def test_a_group_movement_answers_with_who_is_inside_now(token, session):
    household = household_of(session.event)
    ids = [ticket.pk for ticket in household]
    admit = {"token": token, "text": household[0].secret, "session_id": session.pk}

    entered = checkin_group_admit(**admit, ticket_ids=ids, nonce=uuid.uuid4())
    left = checkin_group_admit(**admit, ticket_ids=ids[1:], nonce=uuid.uuid4(), direction="exit")

    assert (entered["inside_now"], left["inside_now"]) == (3, 1)


@pytest.mark.usefixtures("exits")
def test_walk_ins_count_inside_and_only_ticket_holders_go_out(token, session):
    ticket = TicketFactory(attendee__registration__event=session.event)
    walk_in_record(
        token=token,
        session=session,
        groups=[CountedGroup("female", "25-59", "migrant", 2)],
        gate="A",
        nonce=uuid.uuid4(),
    )
    scan(token, session, ticket)

    assert scan(token, session, ticket, "exit")["inside_now"] == 2
    assert session_counts(session=session)["inside_now"] == 2 == inside_now(session_id=session.pk)


def test_without_exit_scans_the_answer_has_no_inside_count(token, session, ticket):
    assert "inside_now" not in scan(token, session, ticket)
    assert session_counts(session=session)["inside_now"] is None


@pytest.mark.usefixtures("exits")
def test_the_inside_count_is_per_session(token, session):
    other = SessionFactory(event=session.event)
    ticket = TicketFactory(attendee__registration__event=session.event)
    scan(token, session, ticket)
    scan(token, other, ticket)

    assert scan(token, other, ticket, "exit")["inside_now"] == 0
    assert inside_now(session_id=session.pk) == 1


@pytest.mark.usefixtures("exits")
def test_the_inside_count_is_one_query_whatever_the_movements(
    token, session, django_assert_num_queries
):
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(6)]
    for ticket in tickets:
        scan(token, session, ticket)
        scan(token, session, ticket, "exit")
        scan(token, session, ticket)
    scan(token, session, tickets[0], "exit")

    with django_assert_num_queries(2):  # the people counted, the people out
        assert inside_now(session_id=session.pk) == 5
