import datetime
import uuid

import pytest

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.selectors import session_counts
from attendance.services.scans import checkin_scan
from core.demographics import Gender, Profile
from events.codes import format_short_code
from events.models import Ticket
from tests.factories import (
    AttendeeFactory,
    DoorSettingsFactory,
    EventFactory,
    SessionFactory,
    TicketFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


def scan(token, session, text, **kwargs):
    kwargs.setdefault("nonce", uuid.uuid4())
    kwargs.setdefault("gate", "A")
    return checkin_scan(token=token, text=text, session=session, **kwargs)


def test_valid_ticket_is_admitted_with_minimal_attendee_fields(token, session, ticket):
    result = scan(token, session, ticket.secret)

    assert result["status"] == ScanStatus.ADMITTED
    assert "Aminata" in result["message"]
    assert result["attendee"] == {
        "first_name": "Aminata",
        "gender": "female",
        "gender_label": str(Gender.FEMALE.label),
        "age_band": "25-59",
        "profile": "migrant",
        "profile_label": str(Profile.MIGRANT.label),
        "group_size": 1,
    }
    attendance = Attendance.objects.get(ticket=ticket, session=session)
    assert attendance.source == Attendance.Source.SCAN
    assert attendance.recorded_by_label == "Fatima (gate A)"
    assert attendance.door_token == token
    assert attendance.gate == "A"


def test_short_code_typed_loosely_admits(token, session, ticket):
    typed = format_short_code(ticket.short_code).lower().replace("-", " ")

    result = scan(token, session, typed)

    assert result["status"] == ScanStatus.ADMITTED
    assert Attendance.objects.get(ticket=ticket).source == Attendance.Source.SHORT_CODE


def test_ticket_page_url_in_qr_is_understood(token, session, ticket):
    result = scan(token, session, f"https://multaqa.example/tickets/{ticket.secret}/")

    assert result["status"] == ScanStatus.ADMITTED


def test_second_scan_of_same_ticket_is_already_admitted_with_time_and_gate(token, session, ticket):
    scan(token, session, ticket.secret, gate="North")

    result = scan(token, session, ticket.secret, gate="South")

    assert result["status"] == ScanStatus.ALREADY_ADMITTED
    assert result["gate"] == "North"
    assert result["admitted_at"]
    assert "10:30" in result["message"]
    assert result["attendee"]["first_name"] == "Aminata"
    assert Attendance.objects.filter(ticket=ticket).count() == 1


def test_unknown_text_is_unknown_ticket_and_logged_not_counted(token, session):
    result = scan(token, session, "not-a-ticket-" + "x" * 100)

    assert result["status"] == ScanStatus.UNKNOWN_TICKET
    attempt = ScanAttempt.objects.get()
    assert attempt.status == ScanStatus.UNKNOWN_TICKET
    assert len(attempt.text) == 64
    assert Attendance.objects.count() == 0
    assert session_counts(session=session)["total"] == 0


def test_cancelled_ticket_is_refused(token, session, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CANCELLED)

    result = scan(token, session, ticket.secret)

    assert result["status"] == ScanStatus.CANCELLED
    assert result["attendee"] is None
    assert not Attendance.objects.exists()


def test_waitlisted_ticket_is_not_valid(token, session, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.WAITLISTED)

    result = scan(token, session, ticket.secret)

    assert result["status"] == ScanStatus.CANCELLED
    assert "attente" in result["message"]


def test_ticket_of_another_event_is_wrong_event(session):
    other_ticket = TicketFactory()
    from attendance.services.tokens import door_token_create

    token = door_token_create(
        label="V", events=[session.event, other_ticket.event], created_by=None
    ).door_token

    result = scan(token, session, other_ticket.secret)

    assert result["status"] == ScanStatus.WRONG_EVENT
    assert result["attendee"] is None


def test_ticket_of_another_organisations_event_is_refused_without_naming_it(token, session):
    foreign = TicketFactory(attendee__registration__event__title="Atelier confidentiel")
    assert foreign.event.title == "Atelier confidentiel"
    assert foreign.event.organizer_id != session.event.organizer_id

    result = scan(token, session, foreign.secret)

    assert result["status"] == ScanStatus.WRONG_EVENT
    assert "Atelier confidentiel" not in result["message"]
    assert "Atelier confidentiel" not in str(ScanAttempt.objects.get().response)


def test_ticket_of_another_event_of_the_same_organizer_is_named(token, session):
    sibling = TicketFactory(
        attendee__registration__event__title="Atelier du samedi",
        attendee__registration__event__organizer=session.event.organizer,
    )

    result = scan(token, session, sibling.secret)

    assert result["status"] == ScanStatus.WRONG_EVENT
    assert "Atelier du samedi" in result["message"]


def test_ticket_restricted_to_another_session_same_day_is_wrong_session(token, session, ticket):
    afternoon = SessionFactory(
        event=session.event, start_time=datetime.time(14), end_time=datetime.time(16)
    )
    ticket.sessions.set([afternoon])

    assert scan(token, session, ticket.secret)["status"] == ScanStatus.WRONG_SESSION


def test_ticket_restricted_to_another_day_is_not_valid_today(token, session, ticket):
    tomorrow = SessionFactory(event=session.event, date=session.date + datetime.timedelta(days=1))
    ticket.sessions.set([tomorrow])

    result = scan(token, session, ticket.secret)

    assert result["status"] == ScanStatus.NOT_VALID_TODAY
    assert tomorrow.date.strftime("%d/%m/%Y") in result["message"]


def test_ticket_restricted_to_this_session_is_admitted(token, session, ticket):
    ticket.sessions.set([session])

    assert scan(token, session, ticket.secret)["status"] == ScanStatus.ADMITTED


def test_too_early_is_session_not_open_with_the_window(token, session, ticket, door_open):
    door_open.move_to(datetime.datetime(2026, 12, 1, 7, 30, tzinfo=datetime.UTC))  # 08:30 Oujda

    result = scan(token, session, ticket.secret)

    assert result["status"] == ScanStatus.SESSION_NOT_OPEN
    assert "09:00" in result["message"] and "13:00" in result["message"]


def test_window_is_configurable_per_event(token, session, ticket, door_open):
    DoorSettingsFactory(event=session.event, opens_minutes_before=120)
    door_open.move_to(datetime.datetime(2026, 12, 1, 7, 30, tzinfo=datetime.UTC))

    assert scan(token, session, ticket.secret)["status"] == ScanStatus.ADMITTED


def test_too_late_is_session_not_open(token, session, ticket, door_open):
    door_open.move_to(datetime.datetime(2026, 12, 1, 13, 30, tzinfo=datetime.UTC))

    assert scan(token, session, ticket.secret)["status"] == ScanStatus.SESSION_NOT_OPEN


def test_token_of_event_a_cannot_scan_for_event_b(token, ticket):
    other_session = SessionFactory(event=EventFactory())
    other_ticket = TicketFactory(attendee__registration__event=other_session.event)

    result = scan(token, other_session, other_ticket.secret)

    assert result["status"] == ScanStatus.NOT_ALLOWED
    assert not Attendance.objects.exists()
    assert ScanAttempt.objects.get().status == ScanStatus.NOT_ALLOWED


def test_repeated_nonce_returns_stored_answer_and_records_nothing_new(token, session, ticket):
    nonce = uuid.uuid4()
    first = scan(token, session, ticket.secret, nonce=nonce)

    again = scan(token, session, ticket.secret, nonce=nonce)

    assert first["status"] == again["status"] == ScanStatus.ADMITTED
    assert again == first
    assert ScanAttempt.objects.count() == 1
    assert Attendance.objects.count() == 1


def test_same_nonce_from_another_token_is_a_separate_request(token, session, ticket):
    from attendance.services.tokens import door_token_create

    other = door_token_create(label="B", events=[session.event], created_by=None).door_token
    nonce = uuid.uuid4()
    scan(token, session, ticket.secret, nonce=nonce)

    assert scan(other, session, ticket.secret, nonce=nonce)["status"] == ScanStatus.ALREADY_ADMITTED


def test_group_size_counts_the_people_of_the_registration(token, session, ticket):
    AttendeeFactory(registration=ticket.attendee.registration, is_contact=False)

    assert scan(token, session, ticket.secret)["attendee"]["group_size"] == 2


def test_failed_attempts_are_logged_with_volunteer_gate_and_times(token, session):
    client_time = datetime.datetime(2026, 12, 1, 9, 29, tzinfo=datetime.UTC)

    scan(token, session, "ZZZZ", gate="B", client_time=client_time)

    attempt = ScanAttempt.objects.get()
    assert (attempt.token, attempt.gate, attempt.client_time) == (token, "B", client_time)
    assert attempt.server_time is not None and attempt.action == "entry"


def test_message_follows_token_language(token, session):
    token.language = "ar"
    token.save()
    from django.utils import translation

    with translation.override(token.language):
        result = scan(token, session, "nothing")

    assert "تذكرة" in result["message"]


class TestExitScans:
    @pytest.fixture(autouse=True)
    def exits_enabled(self, session):
        DoorSettingsFactory(event=session.event, exit_scans_enabled=True)

    def test_exit_then_reentry_keeps_one_attendance_and_inside_count(self, token, session, ticket):
        scan(token, session, ticket.secret)
        assert session_counts(session=session)["inside_now"] == 1

        assert scan(token, session, ticket.secret, direction="exit")["status"] == ScanStatus.EXITED
        assert session_counts(session=session)["inside_now"] == 0
        assert session_counts(session=session)["total"] == 1

        assert scan(token, session, ticket.secret)["status"] == ScanStatus.ADMITTED
        assert session_counts(session=session)["inside_now"] == 1
        assert Attendance.objects.count() == 1

    def test_exit_of_someone_not_inside_is_refused(self, token, session, ticket):
        assert (
            scan(token, session, ticket.secret, direction="exit")["status"] == ScanStatus.NOT_INSIDE
        )

    def test_exit_scan_on_event_without_exits_is_a_client_error(self, token, ticket):
        from core.errors import ApplicationError

        other = SessionFactory()
        token.events.add(other.event)
        with pytest.raises(ApplicationError):
            scan(token, other, ticket.secret, direction="exit")


def test_scan_log_does_not_keep_a_usable_ticket_secret(token, session, ticket):
    scan(token, session, ticket.secret)

    logged = ScanAttempt.objects.get().text
    assert ticket.secret not in logged and logged.startswith(ticket.secret[:6])
