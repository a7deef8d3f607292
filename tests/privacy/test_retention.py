"""Retention and erasure: personal fields disappear, figures stay exactly the same."""

import datetime
import uuid
import zoneinfo

import pytest
import time_machine

from attendance.models import ScanAttempt
from attendance.services.scans import checkin_scan
from attendance.services.sync import OfflineScan, checkin_sync
from attendance.services.tokens import door_token_create
from core.demographics import AgeBand, Gender, Profile
from core.errors import PermissionDenied
from core.models import AuditEntry
from events.models import Attendee, Registration
from events.services.retention import (
    registration_erase,
    registrations_due_for_purge,
    retention_purge_expired,
)
from events.tasks import retention_purge_task
from reporting.selectors import figures_for_programme
from tests.factories import (
    TODAY,
    AttendanceFactory,
    AttendeeFactory,
    MembershipFactory,
    ProgrammeFactory,
    ScanAttemptFactory,
    SessionFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
OUJDA = zoneinfo.ZoneInfo("Africa/Casablanca")
DOOR_OPEN = datetime.datetime.combine(TODAY, datetime.time(10, 30), tzinfo=OUJDA)
PERSONAL = {"contact_name": "Khadija", "phone": "+212612345678", "email": "khadija@example.org"}


@pytest.fixture
def admitted_programme():
    """A programme with one event that ended on TODAY+2, two admitted people (one scanned, with a
    stored door answer naming her) and a walk-in."""
    programme = ProgrammeFactory(retention_days=30)
    session = SessionFactory(event__programme=programme)
    event = session.event
    ticket = TicketFactory(
        attendee__registration__event=event,
        attendee__registration__contact_name=PERSONAL["contact_name"],
        attendee__registration__phone=PERSONAL["phone"],
        attendee__registration__email=PERSONAL["email"],
        attendee__first_name="Khadija",
        attendee__nationality="Guinea",
    )
    child = AttendeeFactory(
        registration=ticket.attendee.registration,
        first_name="Moussa",
        nationality="Guinea",
        gender=Gender.MALE,
        age_band=AgeBand.AGE_5_11,
        profile=Profile.MIGRANT,
        is_contact=False,
    )
    TicketFactory(attendee=child, event=event)
    issued = door_token_create(label="Gate", events=[event], created_by=None)
    with time_machine.travel(DOOR_OPEN, tick=False):
        answer = checkin_scan(
            token=issued.door_token, text=ticket.secret, session=session, nonce=uuid.uuid4()
        )
    assert answer["status"] == "admitted"
    # A volunteer typed her name (and her family name) into the code field, online and offline.
    with time_machine.travel(DOOR_OPEN, tick=False):
        typed = checkin_scan(
            token=issued.door_token, text="Khadija Diallo", session=session, nonce=uuid.uuid4()
        )
        synced = checkin_sync(
            token=issued.door_token,
            items=[
                OfflineScan(
                    nonce=uuid.uuid4(),
                    session_id=session.pk,
                    device_time=DOOR_OPEN,
                    local_status="unknown_ticket",
                    text="Moussa Diallo",
                )
            ],
        )
    assert typed["status"] == synced[0]["status"] == "unknown_ticket"
    assert ScanAttempt.objects.filter(event=event, text__contains="Diallo").count() == 2
    AttendanceFactory(session=session, gender=Gender.MALE)
    return programme, ticket.attendee.registration


def personal_values(registration: Registration) -> list[str]:
    registration.refresh_from_db()
    values = [registration.contact_name, registration.phone, registration.email]
    for attendee in Attendee.objects.filter(registration=registration):
        values += [attendee.first_name, attendee.nationality]
    for attempt in ScanAttempt.objects.filter(ticket__attendee__registration=registration):
        values.append(str(attempt.response))
    # What was typed at the event's door is linked to nobody: all of it counts.
    for attempt in ScanAttempt.objects.filter(event=registration.event):
        values += [attempt.text, str(attempt.response)]
    return values


def assert_no_personal_field_survives(registration):
    dump = " ".join(personal_values(registration))
    for secret in (
        "Khadija",
        "Moussa",
        "Diallo",
        "Guinea",
        "+212612345678",
        "khadija@example.org",
    ):
        assert secret not in dump


def test_registration_within_retention_period_is_kept(admitted_programme):
    _programme, registration = admitted_programme
    day_after_limit = TODAY + datetime.timedelta(days=2 + 30)

    with time_machine.travel(datetime.datetime.combine(day_after_limit, datetime.time(12), OUJDA)):
        assert retention_purge_expired() == 0

    registration.refresh_from_db()
    assert registration.contact_name == "Khadija"
    assert registration.personal_data_purged_at is None


def test_purge_after_retention_keeps_figures_identical_and_no_personal_field(admitted_programme):
    programme, registration = admitted_programme
    before = figures_for_programme(programme=programme)
    old_token = registration.access_token
    later = datetime.datetime.combine(TODAY + datetime.timedelta(days=33), datetime.time(3), OUJDA)

    with time_machine.travel(later, tick=False):
        assert retention_purge_task.delay().get() == 1

    after = figures_for_programme(programme=programme)
    assert after == before
    assert before.totals  # the comparison is about real numbers, not two empty reports
    assert_no_personal_field_survives(registration)
    registration.refresh_from_db()
    assert registration.personal_data_purged_at == later
    assert registration.access_token != old_token
    genders = sorted(
        Attendee.objects.filter(registration=registration).values_list("gender", flat=True)
    )
    assert genders == sorted([Gender.FEMALE, Gender.MALE])
    assert AuditEntry.objects.filter(action="retention.purge").count() == 1


def test_purge_is_idempotent(admitted_programme):
    _programme, registration = admitted_programme
    later = datetime.datetime.combine(TODAY + datetime.timedelta(days=40), datetime.time(3), OUJDA)
    with time_machine.travel(later, tick=False):
        assert retention_purge_expired() == 1
        registration.refresh_from_db()
        first_purge = registration.personal_data_purged_at
        assert registration.pk not in registrations_due_for_purge(
            today=TODAY + datetime.timedelta(days=40)
        )

    with time_machine.travel(later + datetime.timedelta(days=1), tick=False):
        assert retention_purge_expired() == 0
    registration.refresh_from_db()
    assert registration.personal_data_purged_at == first_purge
    assert AuditEntry.objects.filter(action="retention.purge").count() == 1


def test_organizer_erases_one_registration_on_request_figures_unchanged(admitted_programme):
    programme, registration = admitted_programme
    organizer = MembershipFactory(organization=programme.lead_organization).user
    before = figures_for_programme(programme=programme)

    registration_erase(registration=registration, actor=organizer)

    assert figures_for_programme(programme=programme) == before
    assert_no_personal_field_survives(registration)
    entry = AuditEntry.objects.get(action="registration.erase")
    assert entry.actor == organizer and entry.target_id == str(registration.pk)
    assert "Khadija" not in str(entry.detail) and "Khadija" not in entry.actor_label


def test_erasing_one_of_several_registrations_blanks_unmatched_door_text(admitted_programme):
    programme, registration = admitted_programme
    other = TicketFactory(
        attendee__registration__event=registration.event, attendee__first_name="Fatou"
    )
    kept = ScanAttemptFactory(
        token=ScanAttempt.objects.filter(event=registration.event).first().token,
        event=registration.event,
        session=registration.event.sessions.get(),
        action="entry",
        status="admitted",
        text=other.short_code,
        nonce=uuid.uuid4(),
        server_time=DOOR_OPEN,
        ticket=other,
    )
    organizer = MembershipFactory(organization=programme.lead_organization).user
    before = figures_for_programme(programme=programme)

    registration_erase(registration=registration, actor=organizer)

    assert figures_for_programme(programme=programme) == before
    typed = ScanAttempt.objects.filter(event=registration.event, ticket__isnull=True)
    assert typed.count() == 2 and set(typed.values_list("text", flat=True)) == {""}
    own = ScanAttempt.objects.filter(ticket__attendee__registration=registration)
    assert own.exists() and set(own.values_list("text", flat=True)) == {""}
    # Another person's scan, still within retention, keeps its code.
    kept.refresh_from_db()
    assert kept.text == other.short_code


def test_organizer_of_another_ngo_cannot_erase(admitted_programme):
    _programme, registration = admitted_programme
    stranger = MembershipFactory().user

    with pytest.raises(PermissionDenied):
        registration_erase(registration=registration, actor=stranger)

    registration.refresh_from_db()
    assert registration.contact_name == "Khadija"


def test_admin_action_erases_and_audits(admitted_programme, client):
    _programme, registration = admitted_programme
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(
        "/admin/events/registration/",
        {"action": "erase_personal_data", "_selected_action": [registration.pk]},
    )

    assert response.status_code == 302
    assert_no_personal_field_survives(registration)
    assert AuditEntry.objects.filter(action="registration.erase", actor=admin).exists()
