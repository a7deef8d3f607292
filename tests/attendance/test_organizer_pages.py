import io
import uuid

import pytest
from pypdf import PdfReader

from attendance.models import Attendance, ScanStatus
from attendance.services.corrections import attendance_void
from attendance.services.scans import checkin_scan
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


@pytest.fixture
def own_ticket(own_session):
    return TicketFactory(
        attendee__registration__event=own_session.event, attendee__first_name="Khadija"
    )


@pytest.fixture
def own_token(own_session):
    from attendance.services.tokens import door_token_create

    return door_token_create(label="Omar", events=[own_session.event], created_by=None).door_token


def admit(token, session, ticket, gate="A"):
    return checkin_scan(
        token=token, text=ticket.secret, session=session, gate=gate, nonce=uuid.uuid4()
    )


def test_undo_voids_with_reason_and_audit_and_allows_readmission(
    organizer, own_session, own_ticket, own_token
):
    admit(own_token, own_session, own_ticket)
    attendance = Attendance.objects.get()

    attendance_void(attendance=attendance, user=organizer, reason="Scanned the wrong person")

    attendance.refresh_from_db()
    assert attendance.voided_at and attendance.voided_by == organizer
    assert attendance.void_reason == "Scanned the wrong person"
    entry = AuditEntry.objects.get(action="attendance.void")
    assert entry.target_id == str(attendance.pk) and entry.actor == organizer
    assert admit(own_token, own_session, own_ticket)["status"] == ScanStatus.ADMITTED
    assert Attendance.objects.count() == 2  # never deleted


def test_undo_needs_a_reason(organizer, own_session, own_ticket, own_token):
    admit(own_token, own_session, own_ticket)

    with pytest.raises(ApplicationError):
        attendance_void(attendance=Attendance.objects.get(), user=organizer, reason="  ")


def test_undo_by_organizer_of_another_event_is_refused(own_session, own_ticket, own_token):
    admit(own_token, own_session, own_ticket)
    stranger = MembershipFactory().user

    with pytest.raises(PermissionDenied):
        attendance_void(attendance=Attendance.objects.get(), user=stranger, reason="x")


def test_undo_from_the_door_page(organizer_client, own_session, own_ticket, own_token):
    admit(own_token, own_session, own_ticket)
    attendance = Attendance.objects.get()

    response = organizer_client.post(
        f"/door/sessions/{own_session.pk}/undo/{attendance.pk}/", {"reason": "Double entry"}
    )

    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.void_reason == "Double entry"


def test_door_page_filters_the_scan_log(organizer_client, own_session, own_ticket, own_token):
    admit(own_token, own_session, own_ticket, gate="North")
    checkin_scan(
        token=own_token, text="garbage-code", session=own_session, gate="South", nonce=uuid.uuid4()
    )

    page = organizer_client.get(f"/door/sessions/{own_session.pk}/", {"status": "unknown_ticket"})

    assert page.status_code == 200
    assert "garbage-code" in page.text
    rows = page.context["attempts"]
    assert [attempt.status for attempt in rows] == ["unknown_ticket"]
    by_gate = organizer_client.get(f"/door/sessions/{own_session.pk}/", {"gate": "North"})
    assert [attempt.gate for attempt in by_gate.context["attempts"]] == ["North"]
    by_volunteer = organizer_client.get(
        f"/door/sessions/{own_session.pk}/", {"volunteer": own_token.pk}
    )
    assert len(by_volunteer.context["attempts"]) == 2


def test_door_pages_of_another_organisation_are_404(organizer_client):
    other = SessionFactory()

    for path in ["", "paper/", "paper-list.pdf", "class-headcount/"]:
        assert organizer_client.get(f"/door/sessions/{other.pk}/{path}").status_code == 404


def test_door_pages_need_login(client, own_session):
    assert client.get(f"/door/sessions/{own_session.pk}/").status_code == 302


def test_paper_list_pdf_has_codes_names_and_no_phone(organizer_client, own_session, own_ticket):
    response = organizer_client.get(f"/door/sessions/{own_session.pk}/paper-list.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Khadija" in text
    assert own_ticket.short_code[:4] in text
    assert own_ticket.attendee.registration.phone not in text


def test_paper_list_prints_arabic_names_joined(organizer_client, own_session, own_ticket):
    TicketFactory(attendee__registration__event=own_session.event, attendee__first_name="فاطمة")

    response = organizer_client.get(f"/door/sessions/{own_session.pk}/paper-list.pdf")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # Joined (shaped) Arabic is drawn with presentation forms, not the isolated letters typed.
    assert any("\ufb50" <= ch <= "\ufeff" for ch in text)
    assert "Khadija" in text


def test_marking_ticked_people_admits_them_once_with_source_paper(
    organizer_client, own_session, own_ticket, own_token
):
    second = TicketFactory(attendee__registration__event=own_session.event)
    admit(own_token, own_session, second)

    response = organizer_client.post(
        f"/door/sessions/{own_session.pk}/paper/", {"ticket": [own_ticket.pk, second.pk, "junk"]}
    )

    assert response.status_code == 302
    paper = Attendance.objects.get(source=Attendance.Source.PAPER)
    assert paper.ticket == own_ticket
    assert Attendance.objects.filter(ticket=second).count() == 1
    assert AuditEntry.objects.filter(action="attendance.paper_list").exists()


def test_paper_marks_skip_cancelled_and_other_event_tickets(organizer, own_session):
    from attendance.services.corrections import paper_admissions_record
    from events.models import Ticket

    cancelled = TicketFactory(
        attendee__registration__event=own_session.event, status=Ticket.Status.CANCELLED
    )
    foreign = TicketFactory()

    assert (
        paper_admissions_record(
            session=own_session, ticket_ids=[cancelled.pk, foreign.pk], user=organizer
        )
        == 0
    )


def test_class_headcount_form_records_counts_by_gender_and_age(organizer_client, own_session):
    response = organizer_client.post(
        f"/door/sessions/{own_session.pk}/class-headcount/",
        {
            "profile": "host",
            "n_female_12_17": "13",
            "n_male_12_17": "11",
            "n_female_5_11": "0",
        },
    )

    assert response.status_code == 302
    rows = Attendance.objects.filter(source=Attendance.Source.CLASS_TALLY)
    assert sorted(rows.values_list("gender", "age_band", "headcount")) == [
        ("female", "12-17", 13),
        ("male", "12-17", 11),
    ]
    assert all(row.recorded_by_label for row in rows)


def test_empty_class_headcount_is_a_form_error(organizer_client, own_session):
    response = organizer_client.post(
        f"/door/sessions/{own_session.pk}/class-headcount/", {"profile": "host"}
    )

    assert response.status_code == 200
    assert not Attendance.objects.exists()
    assert response.context["form"].non_field_errors()


def test_token_created_in_admin_shows_link_once(admin_client_for_org, own_session):
    client, _user = admin_client_for_org
    response = client.post(
        "/admin/attendance/doortoken/add/",
        {
            "label": "Salif (main gate)",
            "events": [own_session.event.pk],
            "language": "",
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    from attendance.models import DoorToken

    token = DoorToken.objects.get(label="Salif (main gate)")
    assert "/scan/#token=" + token.token_prefix in response.text
    assert client.get(f"/admin/attendance/doortoken/{token.pk}/change/").text.count("#token=") == 0


@pytest.fixture
def admin_client_for_org(client, admin_user):
    client.force_login(admin_user)
    return client, admin_user


def test_door_index_lists_only_own_sessions(organizer_client, own_session):
    other = SessionFactory()

    response = organizer_client.get("/door/")

    assert list(response.context["sessions"]) == [own_session]
    assert f"/door/sessions/{other.pk}/" not in response.text
