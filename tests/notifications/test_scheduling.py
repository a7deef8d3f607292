import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events import signals
from events.models import EventStatus, Registration, Ticket
from events.services import events as event_services
from notifications import services, sms
from notifications.models import Channel, Message, Purpose
from notifications.tokens import recipient_hash
from tests.factories import EventNotificationSettingsFactory, SessionFactory, admission_of

from .conftest import NOW, ticket_for

pytestmark = pytest.mark.django_db


def confirm(registration: Registration):
    signals.registration_confirmed.send(sender=Registration, registration_id=registration.pk)


def reminders(registration, **filters):
    return Message.objects.filter(registration=registration, purpose=Purpose.REMINDER, **filters)


def session_start(session):
    return datetime.datetime.combine(
        session.date, session.start_time, tzinfo=timezone.get_default_timezone()
    )


def test_confirmation_sends_sms_with_short_code_and_ticket_link(event, frozen_now, committed):
    ticket = ticket_for(event, email="")
    committed(confirm, ticket.attendee.registration)

    assert len(sms.outbox) == 1
    text = sms.outbox[0].body
    assert str(ticket) in text
    assert ticket.get_absolute_url() in text
    assert (
        sms.outbox[0].idempotency_key
        == f"confirmation:r{ticket.attendee.registration_id}:t{ticket.pk}:sms"
    )
    assert Message.objects.get(purpose=Purpose.CONFIRMATION).status == Message.Status.SENT


def test_confirmation_email_has_inline_qr_and_calendar_file(event, frozen_now, committed):
    ticket = ticket_for(event, phone="", email="a@example.org", language="en")
    committed(confirm, ticket.attendee.registration)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert "Your ticket" in email.subject
    raw = email.message()
    assert raw.get_content_type() == "multipart/mixed"
    related = raw.get_payload()[0]
    assert related.get_content_type() == "multipart/related"
    image = related.get_payload()[1]
    assert image.get_content_type() == "image/png" and image["Content-ID"] == "<ticket-qr>"
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
    html = related.get_payload()[0].get_payload()[1].get_payload(decode=True).decode()
    assert 'src="cid:ticket-qr"' in html and ticket.get_absolute_url() in html
    filename, ics, mimetype = email.attachments[0]
    assert filename == "multaqa.ics" and mimetype.startswith("text/calendar")
    assert "DTSTART:20261201T090000Z" in ics  # 10:00 in Casablanca (UTC+1) in December


def test_reminders_scheduled_two_days_and_three_hours_before_each_session(
    event, frozen_now, committed
):
    second = SessionFactory(event=event, date=event.start_date + datetime.timedelta(days=1))
    ticket = ticket_for(event, email="a@example.org")
    committed(confirm, ticket.attendee.registration)

    rows = reminders(ticket.attendee.registration)
    assert rows.count() == 2 * 2 * 2  # sessions x offsets x channels
    for session in event.sessions.all():
        times = set(rows.filter(session=session).values_list("scheduled_at", flat=True))
        start = session_start(session)
        assert times == {start - datetime.timedelta(days=2), start - datetime.timedelta(hours=3)}
    assert rows.filter(session=second, channel=Channel.SMS).count() == 2


def test_reminder_offsets_already_past_are_skipped(event, time_machine, committed):
    session = event.sessions.get()
    time_machine.move_to(session_start(session) - datetime.timedelta(days=1), tick=False)
    ticket = ticket_for(event)
    committed(confirm, ticket.attendee.registration)
    assert list(
        reminders(ticket.attendee.registration).values_list("offset_minutes", flat=True)
    ) == [180]


def test_ticket_limited_to_some_sessions_gets_reminders_only_for_them(event, frozen_now, committed):
    other = SessionFactory(event=event, date=event.start_date + datetime.timedelta(days=1))
    ticket = ticket_for(event)
    ticket.sessions.set([other])
    committed(confirm, ticket.attendee.registration)
    assert set(reminders(ticket.attendee.registration).values_list("session", flat=True)) == {
        other.pk
    }


def test_event_settings_choose_channels_and_offsets(event, frozen_now, committed):
    EventNotificationSettingsFactory(event=event, reminder_offsets=[60], sms_enabled=False)
    ticket = ticket_for(event, email="a@example.org")
    committed(confirm, ticket.attendee.registration)
    rows = reminders(ticket.attendee.registration)
    assert list(rows.values_list("channel", "offset_minutes")) == [("email", 60)]
    assert sms.outbox == []


def test_no_message_without_consent(event, frozen_now, committed):
    ticket = ticket_for(event, consent_contact=False, email="a@example.org")
    committed(confirm, ticket.attendee.registration)
    assert Message.objects.count() == 0
    assert sms.outbox == [] and mail.outbox == []


def test_suppressed_recipient_gets_nothing(event, frozen_now, committed):
    ticket = ticket_for(event)
    phone = ticket.attendee.registration.phone
    services.suppression_add(
        channel="sms", hashed_recipient=recipient_hash("sms", phone), source="link"
    )
    committed(confirm, ticket.attendee.registration)
    assert Message.objects.count() == 0 and sms.outbox == []


def test_opting_out_cancels_pending_reminders(event, frozen_now, committed):
    ticket = ticket_for(event)
    registration = ticket.attendee.registration
    committed(confirm, registration)
    services.suppression_add(
        channel="sms", hashed_recipient=recipient_hash("sms", registration.phone), source="link"
    )
    assert set(reminders(registration).values_list("status", flat=True)) == {
        Message.Status.CANCELLED
    }


def test_due_reminders_are_sent_once_by_the_dispatcher(event, frozen_now, committed):
    ticket = ticket_for(event)
    committed(confirm, ticket.attendee.registration)
    sms.outbox.clear()
    session = event.sessions.get()
    frozen_now.move_to(
        session_start(session) - datetime.timedelta(days=2) + datetime.timedelta(seconds=30)
    )

    assert committed(services.messages_dispatch) == 1
    assert committed(services.messages_dispatch) == 0
    assert len(sms.outbox) == 1
    assert "Rappel" in sms.outbox[0].body
    frozen_now.move_to(session_start(session) - datetime.timedelta(hours=2))
    committed(services.messages_dispatch)
    committed(services.messages_dispatch)
    assert len(sms.outbox) == 2
    assert reminders(ticket.attendee.registration, status=Message.Status.SENT).count() == 2


def test_moved_session_moves_pending_reminders_and_sends_a_change_notice(
    event, frozen_now, committed
):
    ticket = ticket_for(event)
    registration = ticket.attendee.registration
    committed(confirm, registration)
    sms.outbox.clear()
    session = event.sessions.get()
    committed(
        event_services.session_update,
        session=session,
        data={"start_time": datetime.time(15, 0), "end_time": datetime.time(17, 0)},
    )

    session.refresh_from_db()
    times = set(
        reminders(registration, status=Message.Status.SCHEDULED).values_list(
            "scheduled_at", flat=True
        )
    )
    assert times == {
        session_start(session) - datetime.timedelta(days=2),
        session_start(session) - datetime.timedelta(hours=3),
    }
    assert all("15:00" in body for body in reminders(registration).values_list("body", flat=True))
    assert len(sms.outbox) == 1 and "15:00" in sms.outbox[0].body
    assert Message.objects.get(purpose=Purpose.RESCHEDULED).status == Message.Status.SENT


def test_cancelled_event_cancels_pending_reminders_and_notifies(event, frozen_now, committed):
    ticket = ticket_for(event)
    registration = ticket.attendee.registration
    committed(confirm, registration)
    sms.outbox.clear()
    committed(event_services.event_cancel, event=event)

    assert set(reminders(registration).values_list("status", flat=True)) == {
        Message.Status.CANCELLED
    }
    assert len(sms.outbox) == 1
    assert "annule" in sms.outbox[0].body
    frozen_now.move_to(NOW + datetime.timedelta(days=10))
    committed(services.messages_dispatch)
    assert len(sms.outbox) == 1


def test_cancelled_ticket_cancels_its_reminders(event, frozen_now, committed):
    ticket = ticket_for(event)
    committed(confirm, ticket.attendee.registration)
    ticket.status = Ticket.Status.CANCELLED
    ticket.save()
    committed(signals.ticket_cancelled.send, sender=Ticket, ticket_id=ticket.pk)
    assert set(reminders(ticket.attendee.registration).values_list("status", flat=True)) == {
        Message.Status.CANCELLED
    }


def test_promoted_ticket_gets_confirmation_and_reminders(event, frozen_now, committed):
    ticket = ticket_for(event)
    ticket.status = Ticket.Status.VALID
    ticket.save()
    committed(signals.ticket_promoted.send, sender=Ticket, ticket_id=ticket.pk)
    assert len(sms.outbox) == 1 and str(ticket) in sms.outbox[0].body
    assert reminders(ticket.attendee.registration).count() == 2


def attend(ticket, *, voided=False):
    session = ticket.event.sessions.first()
    return admission_of(session, ticket, voided_at=timezone.now() if voided else None)


def test_thank_you_goes_to_attendees_only(event, frozen_now, committed):
    came = ticket_for(event)
    absent = ticket_for(event)
    voided = ticket_for(event)
    attend(came)
    attend(voided, voided=True)
    committed(event_services.event_close, event=event)

    assert [m.to for m in sms.outbox] == [came.attendee.registration.phone]
    assert "/feedback/" in sms.outbox[0].body
    assert (
        not Message.objects.filter(
            registration__in=[absent.attendee.registration, voided.attendee.registration]
        )
        .exclude(purpose=Purpose.REMINDER)
        .exists()
    )


def test_missed_you_goes_to_no_shows_when_enabled(event, frozen_now, committed):
    EventNotificationSettingsFactory(event=event, missed_you_enabled=True)
    came = ticket_for(event)
    absent = ticket_for(event)
    attend(came)
    committed(services.event_followups_schedule, event_id=event.pk)

    by_purpose = dict(Message.objects.values_list("registration", "purpose"))
    assert by_purpose == {
        came.attendee.registration_id: Purpose.THANK_YOU,
        absent.attendee.registration_id: Purpose.MISSED_YOU,
    }
    assert committed(services.event_followups_schedule, event_id=event.pk) == 0
    assert len(sms.outbox) == 2


def test_followups_beat_job_waits_for_the_end_of_the_last_session(event, frozen_now, committed):
    from notifications.tasks import followups_due_task

    attend(ticket_for(event))
    session = event.sessions.get()
    end = datetime.datetime.combine(
        session.date, session.end_time, tzinfo=timezone.get_default_timezone()
    )
    frozen_now.move_to(end + datetime.timedelta(minutes=30))
    assert committed(followups_due_task) == 0
    frozen_now.move_to(end + datetime.timedelta(hours=3))
    assert committed(followups_due_task) == 1
    assert committed(followups_due_task) == 0
    assert Message.objects.filter(purpose=Purpose.THANK_YOU).count() == 1


def test_cancelled_event_gets_no_followups(event, frozen_now, committed):
    attend(ticket_for(event))
    event.status = EventStatus.CANCELLED
    event.save()
    assert committed(services.event_followups_schedule, event_id=event.pk) == 0


def test_forgetting_a_registration_blanks_its_messages_and_cancels_pending(
    event, frozen_now, committed
):
    ticket = ticket_for(event)
    registration = ticket.attendee.registration
    committed(confirm, registration)
    services.messages_forget_registration(registration_id=registration.pk)
    rows = Message.objects.filter(registration=registration)
    assert set(rows.values_list("recipient", flat=True)) == {""}
    assert not rows.filter(body__contains=registration.contact_name).exists()
    assert set(reminders(registration).values_list("status", flat=True)) == {
        Message.Status.CANCELLED
    }
    assert rows.filter(purpose=Purpose.CONFIRMATION, status=Message.Status.SENT).count() == 1
