"""What to send to whom and when: confirmations, reminders (kept in step with the sessions),
change and cancellation notices, and the follow-ups after the event. Every message gets an
idempotency key (purpose x object x channel for one registration), so running any of these twice
changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from attendance.selectors import attended_ticket_ids as attended_tickets_of
from events.models import Event, EventStatus, Registration, Session, Ticket
from notifications.models import EventNotificationSettings, Message, Purpose
from notifications.rendering import message_context, session_start

from .channels import Recipient, registration_recipients, rendered_fields
from .outbox import message_schedule, messages_dispatch

# Follow-ups go out this long after the last session ends (when no one closed the event).
FOLLOWUP_DELAY = datetime.timedelta(hours=2)


def event_settings(event: Event) -> EventNotificationSettings:
    """The event's settings row, or unsaved defaults (no row is written just by reading)."""
    try:
        return event.notification_settings
    except EventNotificationSettings.DoesNotExist:
        return EventNotificationSettings(event=event)


def valid_tickets(registration: Registration) -> list[Ticket]:
    tickets = Ticket.objects.filter(attendee__registration=registration, status=Ticket.Status.VALID)
    # The contact person's own ticket first: it is the one linked in messages.
    return list(tickets.select_related("attendee", "event").order_by("-attendee__is_contact", "id"))


def ticket_sessions(ticket: Ticket) -> list[Session]:
    restricted = list(ticket.sessions.select_related("venue"))
    return restricted or list(ticket.event.sessions.select_related("venue"))


def sessions_with_ticket(registration: Registration) -> dict[int, tuple[Session, Ticket]]:
    """Every session one of the registration's valid tickets admits to, with the ticket to link."""
    found: dict[int, tuple[Session, Ticket]] = {}
    for ticket in valid_tickets(registration):
        for session in ticket_sessions(ticket):
            found.setdefault(session.pk, (session, ticket))
    return found


def _schedule_rendered(
    *,
    key: str,
    purpose: str,
    registration: Registration,
    recipient: Recipient,
    scheduled_at,
    ticket=None,
    session=None,
    offset=None,
    with_feedback=False,
    group_tickets=None,
    fallback_of=None,
) -> Message:
    language = registration.language
    context = message_context(
        registration=registration,
        language=language,
        channel=recipient.channel,
        hashed_recipient=recipient.hashed,
        session=session,
        ticket=ticket,
        with_feedback=with_feedback,
        group_tickets=group_tickets,
    )
    fields = rendered_fields(
        purpose=purpose,
        channel=recipient.channel,
        language=language,
        context=context,
        organization_id=registration.event.organizer_id,
    )
    if group_tickets and len(group_tickets) > 1:
        # Ids only: a fallback on another channel lists the same members' codes.
        fields["payload"]["group_tickets"] = [t.pk for t in group_tickets]
    message, _created = message_schedule(
        idempotency_key=key,
        channel=recipient.channel,
        recipient=recipient.address,
        language=language,
        purpose=purpose,
        scheduled_at=scheduled_at,
        fallback_of=fallback_of,
        **fields,
        event=registration.event,
        registration=registration,
        ticket=ticket,
        session=session,
        offset_minutes=offset,
    )
    return message


def _schedule_for_each(recipients, *, key: str, **fields) -> list[int]:
    """One message per recipient of a registration, keyed `<key>:<channel>` (so a replay finds
    each one again); their ids, for the dispatch."""
    return [
        _schedule_rendered(key=f"{key}:{recipient.channel}", recipient=recipient, **fields).pk
        for recipient in recipients
    ]


def registration_confirmation_send(
    *, registration_id: int, ticket_ids: list[int] | None = None
) -> list[int]:
    """Confirmation now, on every allowed channel: one per registration carrying every member's
    code and the group's page, or one per given ticket (a ticket promoted from the waiting list)."""
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    tickets = valid_tickets(registration)
    group = []
    if ticket_ids is not None:
        tickets = [t for t in tickets if t.pk in set(ticket_ids)]
    else:
        # The contact's ticket carries the message (its QR, its calendar file); the text lists
        # every member's code, so members without a phone of their own can get in too.
        group, tickets = tickets, tickets[:1]
    recipients = registration_recipients(
        registration, event_settings(registration.event), purpose=Purpose.CONFIRMATION
    )
    ids = []
    with transaction.atomic():
        for ticket in tickets:
            ids += _schedule_for_each(
                recipients,
                key=f"{Purpose.CONFIRMATION}:r{registration.pk}:t{ticket.pk}",
                purpose=Purpose.CONFIRMATION,
                registration=registration,
                scheduled_at=timezone.now(),
                ticket=ticket,
                group_tickets=group,
            )
        messages_dispatch(ids=ids)
    return ids


def registration_reminders_sync(*, registration_id: int, now=None) -> None:
    """Make the registration's pending reminders match its tickets, sessions and settings:
    create missing ones, move the ones whose session moved, cancel the ones no longer wanted."""
    now = now or timezone.now()
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    event = registration.event
    prefs = event_settings(event)
    wanted: dict[str, dict] = {}
    if event.status == EventStatus.PUBLISHED:
        recipients = registration_recipients(registration, prefs, purpose=Purpose.REMINDER)
        for session, ticket in sessions_with_ticket(registration).values():
            start = session_start(session)
            for offset in prefs.reminder_offsets or []:
                at = start - datetime.timedelta(minutes=offset)
                if at <= now:
                    continue  # a two-day reminder is pointless for someone registering the day before
                for recipient in recipients:
                    key = f"{Purpose.REMINDER}:r{registration.pk}:s{session.pk}:{offset}:{recipient.channel}"
                    wanted[key] = {
                        "session": session,
                        "ticket": ticket,
                        "offset": offset,
                        "at": at,
                        "recipient": recipient,
                    }
    with transaction.atomic():
        pending = Message.objects.select_for_update().filter(
            registration=registration,
            purpose=Purpose.REMINDER,
            status__in=[Message.Status.SCHEDULED, Message.Status.CANCELLED],
            # A fallback row belongs to the message it replaces, not to this plan.
            fallback_of__isnull=True,
        )
        existing = {m.idempotency_key: m for m in pending}
        for key, message in existing.items():
            spec = wanted.get(key)
            if spec is None:
                if message.status == Message.Status.SCHEDULED:
                    message.status = Message.Status.CANCELLED
                    message.save(update_fields=["status", "updated_at"])
                continue
            context = message_context(
                registration=registration,
                language=message.language,
                channel=message.channel,
                hashed_recipient=message.recipient_hash,
                session=spec["session"],
                ticket=spec["ticket"],
            )
            fields = rendered_fields(
                purpose=Purpose.REMINDER,
                channel=message.channel,
                language=message.language,
                context=context,
                organization_id=registration.event.organizer_id,
            )
            message.subject, message.body = fields["subject"], fields["body"]
            message.payload = fields["payload"]
            message.scheduled_at, message.status, message.attempts = (
                spec["at"],
                Message.Status.SCHEDULED,
                0,
            )
            message.save(
                update_fields=[
                    "subject",
                    "body",
                    "payload",
                    "scheduled_at",
                    "status",
                    "attempts",
                    "updated_at",
                ]
            )
        for key, spec in wanted.items():
            if key not in existing:
                _schedule_rendered(
                    key=key,
                    purpose=Purpose.REMINDER,
                    registration=registration,
                    recipient=spec["recipient"],
                    scheduled_at=spec["at"],
                    ticket=spec["ticket"],
                    session=spec["session"],
                    offset=spec["offset"],
                )


def registration_notifications_schedule(*, registration_id: int) -> None:
    registration_confirmation_send(registration_id=registration_id)
    registration_reminders_sync(registration_id=registration_id)


def ticket_notifications_update(*, ticket_id: int, confirm: bool) -> None:
    """A ticket changed status (promoted from the waiting list, or cancelled)."""
    ticket = Ticket.objects.select_related("attendee").get(pk=ticket_id)
    registration_id = ticket.attendee.registration_id
    if confirm and ticket.status == Ticket.Status.VALID:
        registration_confirmation_send(registration_id=registration_id, ticket_ids=[ticket.pk])
    registration_reminders_sync(registration_id=registration_id)


def _registrations_of(event: Event):
    registrations = Registration.objects.filter(
        event=event, members__ticket__status=Ticket.Status.VALID
    )
    return registrations.select_related("event").distinct()


def sessions_rescheduled_handle(*, event_id: int, session_ids: list[int], now=None) -> None:
    """Move the pending reminders and tell ticket holders of the moved sessions."""
    now = now or timezone.now()
    event = Event.objects.get(pk=event_id)
    moved = {
        s.pk: s
        for s in Session.objects.filter(pk__in=session_ids, event=event).select_related("venue")
    }
    notice_ids = []
    for registration in _registrations_of(event):
        registration_reminders_sync(registration_id=registration.pk, now=now)
        if event.status != EventStatus.PUBLISHED:
            continue
        recipients = registration_recipients(
            registration, event_settings(event), purpose=Purpose.RESCHEDULED
        )
        for session_id, (session, ticket) in sessions_with_ticket(registration).items():
            if session_id not in moved or session_start(session) <= now:
                continue
            stamp = f"{session.date:%Y%m%d}T{session.start_time:%H%M}"
            notice_ids += _schedule_for_each(
                recipients,
                key=f"{Purpose.RESCHEDULED}:r{registration.pk}:s{session.pk}:{stamp}",
                purpose=Purpose.RESCHEDULED,
                registration=registration,
                scheduled_at=now,
                ticket=ticket,
                session=session,
            )
    messages_dispatch(ids=notice_ids)


def event_cancellation_handle(*, event_id: int, now=None) -> None:
    """Cancel everything still waiting for this event, then send the cancellation notice."""
    now = now or timezone.now()
    event = Event.objects.get(pk=event_id)
    with transaction.atomic():
        Message.objects.filter(event=event, status=Message.Status.SCHEDULED).update(
            status=Message.Status.CANCELLED, last_error="event cancelled"
        )
        registrations = (
            Registration.objects.filter(
                event=event,
                members__ticket__status__in=[Ticket.Status.VALID, Ticket.Status.WAITLISTED],
            )
            .select_related("event")
            .distinct()
        )
        ids = []
        prefs = event_settings(event)
        for registration in registrations:
            ids += _schedule_for_each(
                registration_recipients(registration, prefs, purpose=Purpose.CANCELLATION),
                key=f"{Purpose.CANCELLATION}:r{registration.pk}",
                purpose=Purpose.CANCELLATION,
                registration=registration,
                scheduled_at=now,
            )
        messages_dispatch(ids=ids)


def event_followups_schedule(*, event_id: int, now=None) -> int:
    """Thank-you (with the feedback link) to registrations where someone attended; the optional
    'sorry we missed you' to those where no one did. Runs once per event."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event_id)
        prefs, _created = EventNotificationSettings.objects.get_or_create(event=event)
        if prefs.followups_scheduled_at or event.status == EventStatus.CANCELLED:
            return 0
        attended_ticket_ids = attended_tickets_of(event=event)
        ids = []
        for registration in _registrations_of(event):
            tickets = valid_tickets(registration)
            attended = [t for t in tickets if t.pk in attended_ticket_ids]
            if attended and prefs.thank_you_enabled:
                purpose, ticket = Purpose.THANK_YOU, attended[0]
            elif not attended and prefs.missed_you_enabled:
                purpose, ticket = Purpose.MISSED_YOU, None
            else:
                continue
            ids += _schedule_for_each(
                registration_recipients(registration, prefs, purpose=purpose),
                key=f"{purpose}:r{registration.pk}",
                purpose=purpose,
                registration=registration,
                scheduled_at=now,
                ticket=ticket,
                with_feedback=purpose == Purpose.THANK_YOU,
            )
        prefs.followups_scheduled_at = now
        prefs.save(update_fields=["followups_scheduled_at"])
        messages_dispatch(ids=ids)
    return len(ids)


def events_followups_due(*, now=None) -> list[int]:
    """Events whose last session ended more than FOLLOWUP_DELAY ago and have no follow-ups yet."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    candidates = (
        Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED])
        # The end date may lie after the last session: the sessions decide below.
        .filter(
            start_date__lte=local_now.date(),
            end_date__gte=local_now.date() - datetime.timedelta(days=14),
        )
        .exclude(notification_settings__followups_scheduled_at__isnull=False)
    )
    due = []
    for event in candidates:
        last = event.sessions.order_by("-date", "-end_time").first()
        if last is None:
            continue
        ends = datetime.datetime.combine(
            last.date, last.end_time, tzinfo=timezone.get_default_timezone()
        )
        if ends + FOLLOWUP_DELAY <= now:
            due.append(event.pk)
    return due
