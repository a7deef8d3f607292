"""Group check-in: one scan of a household's or class's ticket offers its members, and one action
admits the chosen ones, each on their own ticket, counted with their own demographics."""

import datetime
import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.offline_format import tickets_decode
from attendance.services.groups import checkin_group_admit
from attendance.services.scans import checkin_scan
from core.demographics import AgeBand, Gender
from core.errors import ApplicationError
from events.models import Registration, Ticket
from tests.factories import DoorSettingsFactory, RegistrationFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]

MEMBERS = [
    ("Aminata", Gender.FEMALE, AgeBand.AGE_25_59, True),
    ("Youssef", Gender.MALE, AgeBand.AGE_5_11, False),
    ("Awa", Gender.FEMALE, AgeBand.AGE_0_4, False),
]


def household_of(event, members=MEMBERS) -> list[Ticket]:
    registration = RegistrationFactory(event=event, kind=Registration.Kind.HOUSEHOLD)
    return [
        TicketFactory(
            attendee__registration=registration,
            attendee__first_name=name,
            attendee__gender=gender,
            attendee__age_band=age_band,
            attendee__is_contact=contact,
        )
        for name, gender, age_band, contact in members
    ]


@pytest.fixture
def household(session):
    return household_of(session.event)


def admit(token, session, scanned, members, **kwargs):
    kwargs.setdefault("nonce", uuid.uuid4())
    return checkin_group_admit(
        token=token,
        text=scanned.secret,
        session_id=session.pk,
        ticket_ids=[member.pk for member in members],
        gate="A",
        **kwargs,
    )


def admitted_tickets(session) -> list[int]:
    return sorted(
        Attendance.objects.filter(session=session, voided_at=None).values_list(
            "ticket_id", flat=True
        )
    )


def test_scanning_a_household_ticket_lists_its_members(token, session, household):
    result = checkin_scan(
        token=token, text=household[1].secret, session=session, nonce=uuid.uuid4()
    )

    assert result["status"] == ScanStatus.ADMITTED
    assert [(m["first_name"], m["admitted"]) for m in result["group"]] == [
        ("Aminata", False),
        ("Youssef", True),
        ("Awa", False),
    ]
    assert [m["ticket_id"] for m in result["group"]] == [ticket.pk for ticket in household]
    assert not any(ticket.secret in str(result) for ticket in (household[0], household[2]))


def test_a_person_alone_gets_no_group(token, session, ticket):
    result = checkin_scan(token=token, text=ticket.secret, session=session, nonce=uuid.uuid4())

    assert "group" not in result


def test_admit_all_admits_every_member_each_with_their_demographics(token, session, household):
    result = admit(token, session, household[0], household)

    assert result["status"] == ScanStatus.ADMITTED
    assert result["admitted"] == 3
    assert [m["status"] for m in result["members"]] == ["admitted"] * 3
    assert "3" in result["message"]
    rows = Attendance.objects.filter(session=session).order_by("ticket_id")
    assert [(row.ticket_id, row.gender, row.age_band, row.headcount) for row in rows] == [
        (ticket.pk, ticket.attendee.gender, ticket.attendee.age_band, 1) for ticket in household
    ]
    assert {row.source for row in rows} == {Attendance.Source.SCAN}


def test_choosing_who_is_here_admits_only_them(token, session, household):
    result = admit(token, session, household[0], [household[0], household[2]])

    assert (result["status"], result["admitted"]) == (ScanStatus.ADMITTED, 2)
    assert admitted_tickets(session) == [household[0].pk, household[2].pk]


def test_a_member_already_inside_is_reported_and_the_others_admitted(token, session, household):
    checkin_scan(token=token, text=household[1].secret, session=session, nonce=uuid.uuid4())

    result = admit(token, session, household[1], household)

    assert [m["status"] for m in result["members"]] == [
        "admitted",
        "already_admitted",
        "admitted",
    ]
    assert (result["status"], result["admitted"]) == (ScanStatus.ADMITTED, 2)
    assert admitted_tickets(session) == sorted(ticket.pk for ticket in household)


def test_everyone_already_inside_admits_nobody_twice(token, session, household):
    admit(token, session, household[0], household)

    result = admit(token, session, household[2], household)

    assert (result["status"], result["admitted"]) == (ScanStatus.ALREADY_ADMITTED, 0)
    assert Attendance.objects.filter(session=session).count() == 3


def test_a_cancelled_member_is_refused_and_does_not_hold_the_others_back(token, session, household):
    Ticket.objects.filter(pk=household[2].pk).update(status=Ticket.Status.CANCELLED)

    result = admit(token, session, household[0], household)

    assert [m["status"] for m in result["members"]] == ["admitted", "admitted", "cancelled"]
    assert admitted_tickets(session) == [household[0].pk, household[1].pk]


def test_a_cancelled_registration_admits_nobody(token, session, household):
    Ticket.objects.filter(pk__in=[t.pk for t in household]).update(status=Ticket.Status.CANCELLED)

    result = admit(token, session, household[0], household)

    assert (result["status"], result["admitted"]) == (ScanStatus.CANCELLED, 0)
    assert "annulé" in result["message"]
    assert not Attendance.objects.exists()


def test_a_ticket_of_another_household_is_refused_before_anything_is_written(
    token, session, household
):
    stranger = household_of(session.event, MEMBERS[:2])[1]

    with pytest.raises(ApplicationError) as refused:
        admit(token, session, household[0], [household[1], stranger])

    assert refused.value.status == 422 and refused.value.code == "not_in_group"
    assert not Attendance.objects.exists() and not ScanAttempt.objects.exists()


def test_the_door_closed_refuses_the_whole_group_once(token, session, household, door_open):
    door_open.move_to(datetime.datetime.combine(session.date, datetime.time(7, 0)).astimezone())
    nonce = uuid.uuid4()

    first = admit(token, session, household[0], household, nonce=nonce)
    again = admit(token, session, household[0], household, nonce=nonce)

    assert first["status"] == again["status"] == ScanStatus.SESSION_NOT_OPEN
    assert first["members"] == [] and first["admitted"] == 0
    assert not Attendance.objects.exists()
    assert ScanAttempt.objects.get().status == ScanStatus.SESSION_NOT_OPEN


def test_an_unknown_ticket_opens_no_group(token, session, household):
    result = checkin_group_admit(
        token=token,
        text="not a ticket",
        session_id=session.pk,
        ticket_ids=[household[0].pk],
        nonce=uuid.uuid4(),
    )

    assert result["status"] == ScanStatus.UNKNOWN_TICKET
    assert not Attendance.objects.exists()


def test_a_retry_of_the_same_request_replays_without_writing_twice(token, session, household):
    nonce = uuid.uuid4()

    first = admit(token, session, household[0], household, nonce=nonce)
    retry = admit(token, session, household[0], household, nonce=nonce)

    assert [m["status"] for m in retry["members"]] == [m["status"] for m in first["members"]]
    assert retry["admitted"] == 3
    assert Attendance.objects.count() == 3 and ScanAttempt.objects.count() == 3


def test_a_household_leaves_and_comes_back_together_when_exits_are_on(token, session, household):
    DoorSettingsFactory(event=session.event, exit_scans_enabled=True)
    admit(token, session, household[0], household)

    out = admit(token, session, household[0], household[:2], direction="exit")
    back = admit(token, session, household[0], household[:2])

    assert [m["status"] for m in out["members"]] == ["exited", "exited"]
    assert out["status"] == ScanStatus.EXITED
    assert (back["status"], back["admitted"]) == (ScanStatus.ADMITTED, 2)
    assert Attendance.objects.filter(session=session).count() == 3


def test_the_api_admits_the_chosen_members(client, issued, session, household):
    response = client.post(
        "/api/v1/checkin/group-admit",
        {
            "text": household[0].short_code,
            "session_id": session.pk,
            "ticket_ids": [household[1].pk, household[2].pk],
            "nonce": str(uuid.uuid4()),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["admitted"]) == ("admitted", 2)
    assert [m["attendee"]["first_name"] for m in body["members"]] == ["Youssef", "Awa"]
    assert household[1].secret not in response.content.decode()
    assert admitted_tickets(session) == [household[1].pk, household[2].pk]


@pytest.mark.parametrize("ticket_ids", [[], ["1"], [0.5]])
def test_the_api_refuses_a_bad_choice_with_a_4xx(client, issued, session, household, ticket_ids):
    response = client.post(
        "/api/v1/checkin/group-admit",
        {
            "text": household[0].secret,
            "session_id": session.pk,
            "ticket_ids": ticket_ids,
            "nonce": str(uuid.uuid4()),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_the_offline_pack_says_which_tickets_are_one_group(client, issued, session, household):
    alone = TicketFactory(attendee__registration__event=session.event)

    response = client.get(
        f"/api/v1/checkin/offline-pack?event_id={session.event_id}",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    pack = response.json()
    rows = {row["id"]: row for row in tickets_decode(pack["tickets"])}
    first = min(ticket.pk for ticket in household)
    assert [rows[ticket.pk]["group"] for ticket in household] == [first] * 3
    assert rows[alone.pk]["group"] == alone.pk
