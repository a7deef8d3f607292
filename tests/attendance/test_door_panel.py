"""The live door panel of an event: pace per gate, the queue estimate, refusals without personal
data, devices offline with their unsynced scans; for the staff of the event's organisation only."""

import datetime
import uuid

import pytest

from attendance.door_panel import OFFLINE_AFTER, queue_estimate
from attendance.models import DoorDevice
from attendance.services.door_devices import door_device_report
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_create
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def own_issued(own_session):
    return door_token_create(label="Phone 1", events=[own_session.event], created_by=None)


def panel(client, event):
    response = client.get(f"/door/events/{event.pk}/panel.json")
    assert response.status_code == 200
    return response


def heartbeat(client, issued, **body):
    return client.post(
        "/api/v1/checkin/heartbeat",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )


def test_the_queue_estimate_divides_who_is_left_by_the_recent_pace():
    # 120 admitted in the last 10 minutes: 12 a minute; 140 left take 12 minutes.
    minutes, sentence = queue_estimate(remaining=140, admitted_recently=120)

    assert minutes == 12
    assert "140" in sentence and "12" in sentence


def test_no_recent_admission_gives_no_estimate_and_an_empty_queue_says_so():
    assert queue_estimate(remaining=5, admitted_recently=0)[0] is None
    assert queue_estimate(remaining=0, admitted_recently=0)[0] == 0


def test_the_panel_shows_pace_queue_refusals_and_offline_devices(
    organizer_client, own_session, own_issued, door_open
):
    tickets = [
        TicketFactory(attendee__registration__event=own_session.event, attendee__first_name=name)
        for name in ("Khadija", "Omar", "Salma", "Idriss", "Fanta")
    ]
    token = own_issued.door_token
    for ticket, gate in zip(tickets[:3], ("A", "A", "B"), strict=True):
        checkin_scan(
            token=token, text=ticket.secret, session=own_session, gate=gate, nonce=uuid.uuid4()
        )
    checkin_scan(
        token=token, text=tickets[0].secret, session=own_session, gate="A", nonce=uuid.uuid4()
    )
    checkin_scan(token=token, text="ZZZZ-ZZZZ", session=own_session, gate="B", nonce=uuid.uuid4())
    door_device_report(
        token=token, device_id="phone-gone-quiet", session_id=own_session.pk, unsynced=4
    )
    door_open.shift(OFFLINE_AFTER + datetime.timedelta(seconds=1))
    door_device_report(
        token=token, device_id="phone-still-here", session_id=own_session.pk, unsynced=2
    )

    response = panel(organizer_client, own_session.event)

    data = response.json()
    assert {gate["gate"]: gate["per_minute"] for gate in data["gates"]} == {"A": 0.3, "B": 0.2}
    [queue] = data["sessions"]
    assert (queue["registered"], queue["admitted"], queue["remaining"]) == (5, 3, 2)
    assert queue["minutes_left"] == 7  # 3 admitted in 10 minutes: 2 left take 6.7 minutes
    assert {(r["status"], r["count"]) for r in data["refusals"]} == {
        ("already_admitted", 1),
        ("unknown_ticket", 1),
    }
    assert [device["offline"] for device in data["devices"]] == [False, True]
    assert (data["offline_devices"], data["unsynced"]) == (1, 4)
    body = response.content.decode()
    assert not any(t.attendee.first_name in body or t.secret[:6] in body for t in tickets)
    assert "ZZZZ" not in body


def test_the_panel_is_for_the_staff_of_the_events_organisation(client, own_session):
    url = f"/door/events/{own_session.event_id}/panel.json"
    assert client.get(url).status_code == 302  # to the login page

    client.force_login(MembershipFactory().user)  # an organizer of another NGO
    assert client.get(url).status_code == 404
    assert client.get(f"/door/events/{own_session.event_id}/panel/").status_code == 404


def test_the_panel_page_loads_for_the_organizer(organizer_client, own_session):
    response = organizer_client.get(f"/door/events/{own_session.event_id}/panel/")

    assert response.status_code == 200
    assert f"/door/events/{own_session.event_id}/panel.json" in response.content.decode()


def test_a_heartbeat_keeps_one_row_per_device_with_its_last_count(client, own_session, own_issued):
    for unsynced in (3, 0):
        response = heartbeat(
            client,
            own_issued,
            device_id="phone-1",
            session_id=own_session.pk,
            gate="A",
            unsynced=unsynced,
        )
        assert response.status_code == 200

    device = DoorDevice.objects.get()
    assert (device.device_id, device.gate, device.unsynced) == ("phone-1", "A", 0)


@pytest.mark.parametrize(
    "body",
    [
        {"device_id": "", "unsynced": 1},
        {"device_id": "p", "unsynced": -1},
        {"device_id": "p", "unsynced": "3"},
        {"device_id": "p" * 65, "unsynced": 1},
    ],
)
def test_a_bad_heartbeat_is_a_422(client, own_session, own_issued, body):
    response = heartbeat(client, own_issued, session_id=own_session.pk, **body)

    assert response.status_code == 422
    assert not DoorDevice.objects.exists()


def test_a_heartbeat_for_a_session_outside_the_token_is_a_404(client, own_issued):
    other = SessionFactory()

    response = heartbeat(client, own_issued, device_id="p", session_id=other.pk, unsynced=1)

    assert response.status_code == 404
    assert not DoorDevice.objects.exists()


def test_the_panel_page_arrives_with_its_figures_so_nothing_moves_when_they_refresh(
    organizer_client, own_session, own_issued
):
    tickets = [TicketFactory(attendee__registration__event=own_session.event) for _ in range(3)]
    checkin_scan(
        token=own_issued.door_token,
        text=tickets[0].secret,
        session=own_session,
        gate="Nord",
        nonce=uuid.uuid4(),
    )

    page = organizer_client.get(f"/door/events/{own_session.event_id}/panel/").content.decode()

    assert "1 / 3" in page  # admitted / registered, before any script runs
    assert "Nord" in page


def test_the_panels_queries_grow_by_a_few_per_session_not_by_its_settings(
    organizer_client, own_session, django_assert_max_num_queries
):
    """The event's door settings are read once, not once per session of the day."""
    from attendance.door_panel import door_panel

    for hour in (10, 12, 14, 16):
        SessionFactory(
            event=own_session.event,
            date=own_session.date,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 1),
        )
    with django_assert_max_num_queries(4 + 3 * 5):
        door_panel(event=own_session.event)
