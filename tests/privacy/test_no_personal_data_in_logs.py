"""The main flows, with every logger at DEBUG: no phone, e-mail or name in a log record, a URL, a
redirect or a QR code. The scrubbing filter is a safety net; these flows must not need it."""

import datetime
import logging
import uuid

import pytest
import time_machine
from django.core.cache import cache

from attendance.services.tokens import door_token_create
from core.qr import qr_svg
from events.models import Registration
from tests.events.registration_form import form_data, with_members
from tests.factories import TODAY, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db

FIRST_NAME, MEMBER_NAME = "Zoubida", "Ousmane"
PHONE_TYPED, PHONE = "06 61 23 45 67", "+212661234567"
EMAIL = "zoubida.private@example.net"
SECRETS = [FIRST_NAME, MEMBER_NAME, PHONE, "661234567", "0661234567", "61 23 45 67", EMAIL]
BEFORE_EVENT = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
DOOR_OPEN = datetime.datetime.combine(
    TODAY, datetime.time(10, 30), tzinfo=datetime.timezone(datetime.timedelta(hours=1))
)


@pytest.fixture
def debug_logs(caplog):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.server", "celery", "attendance", "events"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def assert_clean(text: str, where: str):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {where}"


def test_main_flows_leave_no_personal_data_in_logs_urls_or_qr_codes(
    client, debug_logs, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    event = session.event
    urls: list[str] = []

    # Public registration, with a household member; its confirmation SMS/e-mail go out too.
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/events/{event.pk}/register/",
            with_members(
                form_data(
                    **{
                        "contact-first_name": FIRST_NAME,
                        "contact-kind": "household",
                        "contact-phone": PHONE_TYPED,
                        "contact-email": EMAIL,
                        "contact-consent_contact": "on",
                    }
                ),
                {"first_name": MEMBER_NAME, "gender": "male", "age_band": "5-11"},
            ),
        )
        assert response.status_code == 302
        urls.append(response["Location"])
        registration = Registration.objects.get(event=event)
        assert registration.phone == PHONE  # the data really went in
        assert registration.consent_recorded_at is not None
        assert registration.consent_wording_version
        from notifications.models import Message

        page = client.get(response["Location"])
        assert FIRST_NAME in page.content.decode()  # shown to its owner, on the page only

        # Ticket pages and QR codes.
        tickets = [member.ticket for member in registration.members.all()]
        for ticket in tickets:
            urls.append(ticket.get_absolute_url())
            assert client.get(ticket.get_absolute_url()).status_code == 200
            assert client.get(f"/tickets/{ticket.secret}/qr.svg").status_code == 200
            assert_clean(qr_svg(ticket.secret), "a QR code")

    assert Message.objects.filter(registration=registration).exists()  # messages went out

    # The door: a scan and a walk-in.
    issued = door_token_create(label="Gate A", events=[event], created_by=None)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.raw_token}"}
    with time_machine.travel(DOOR_OPEN, tick=False):
        scan = client.post(
            "/api/v1/checkin/scan",
            {"text": tickets[0].secret, "session_id": session.pk, "nonce": str(uuid.uuid4())},
            content_type="application/json",
            **bearer,
        )
        assert scan.json()["status"] == "admitted"
        repeat = client.post(
            "/api/v1/checkin/scan",
            {"text": tickets[0].secret, "session_id": session.pk, "nonce": str(uuid.uuid4())},
            content_type="application/json",
            **bearer,
        )
        assert repeat.json()["status"] == "already_admitted"
        lookup = client.get(
            f"/api/v1/checkin/lookup?session_id={session.pk}&q={FIRST_NAME[:3]}", **bearer
        )
        assert lookup.status_code == 200
        walk_in = client.post(
            "/api/v1/checkin/walk-in",
            {
                "session_id": session.pk,
                "nonce": str(uuid.uuid4()),
                "gender": "male",
                "age_band": "18-24",
            },
            content_type="application/json",
            **bearer,
        )
        assert walk_in.status_code == 200

    # Organizer exports (the attendance list holds first names: in the file, not the logs).
    organizer = MembershipFactory(organization=event.organizer).user
    client.force_login(organizer)
    export = client.get(f"/organizer/events/{event.pk}/attendance.csv")
    assert export.status_code == 200
    assert FIRST_NAME in export.content.decode("utf-8-sig")
    urls.append(f"/organizer/events/{event.pk}/attendance.csv")
    assert client.get(f"/organizer/programmes/{event.programme_id}/figures.csv").status_code == 200
    assert client.get(f"/door/sessions/{session.pk}/paper-list.pdf").status_code == 200

    # A failing request is logged too (404 for an unknown ticket): still nothing personal.
    assert client.get("/tickets/not-a-secret/").status_code == 404

    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.__dict__.get('request', '')}"
        for record in debug_logs.records
    )
    assert debug_logs.records, "the flows logged nothing: the capture is not working"
    assert_clean(logged, "the logs")
    for url in urls:
        assert_clean(url, "a URL")


def test_forum_summary_flow_leaves_no_personal_data_in_logs(
    client, debug_logs, closed_forum, partner_contact
):
    from forums.partners import partner_link_token

    token = partner_link_token(contact=partner_contact)
    home = client.get(f"/partners/link/{token}/")
    summary = client.get(f"/partners/link/{token}/forums/{closed_forum.event.pk}/")
    pdf = client.get(f"/partners/link/{token}/forums/{closed_forum.event.pk}/summary.pdf")

    assert (home.status_code, summary.status_code, pdf.status_code) == (200, 200, 200)
    logged = "\n".join(record.getMessage() for record in debug_logs.records)
    for secret in closed_forum.personal_data:
        assert secret not in logged
        assert secret not in token
        assert secret not in summary.content.decode()
