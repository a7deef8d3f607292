"""Tickets: issuing with unique secrets and short codes, capacity, waiting list, cancellation and
re-issue. Every write that changes how many valid tickets an event has locks the event row first,
so two concurrent registrations can never both take the last place."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.services import audit_record
from events import signals
from events.codes import new_short_code, new_ticket_secret
from events.models import Attendee, Event, Session, Ticket

# A short code collision is rare (32^8 codes); a handful of retries makes a failure practically
# impossible while still surfacing a real bug (e.g. a broken random source) instead of looping.
CODE_ATTEMPTS = 8


def event_lock(*, event: Event) -> Event:
    """The event row, locked until the end of the caller's transaction."""
    return Event.objects.select_for_update().get(pk=event.pk)


def places_left(*, event: Event, sessions: Iterable[Session] = ()) -> int | None:
    """Places still free for a ticket valid for `sessions` (empty: every session), or None when
    nothing limits it. A ticket without sessions uses a place in every session. Call it with the
    event row locked (event_lock) when the answer decides a write."""
    valid = Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
    limits = []
    if event.capacity:
        limits.append(event.capacity - valid.count())
    sessions = list(sessions) or list(event.sessions.all())
    for session in sessions:
        if session.capacity:
            used = valid.filter(Q(sessions=session) | Q(sessions__isnull=True)).distinct().count()
            limits.append(session.capacity - used)
    return max(min(limits), 0) if limits else None


def _save_with_fresh_codes(ticket: Ticket) -> Ticket:
    """Save with a new secret and short code, drawing again when the short code is taken."""
    for _attempt in range(CODE_ATTEMPTS):
        ticket.secret = new_ticket_secret()
        ticket.short_code = new_short_code()
        try:
            with transaction.atomic():
                ticket.save()
            return ticket
        except IntegrityError:
            taken = Ticket.objects.filter(
                Q(short_code=ticket.short_code) | Q(secret=ticket.secret)
            ).exclude(pk=ticket.pk)
            if not taken.exists():
                raise
    raise ApplicationError(
        _("Could not generate a unique ticket code; please try again."),
        code="code_generation_failed",
        status=409,
    )


def tickets_issue(
    *, event: Event, attendees: list[Attendee], sessions: Iterable[Session] = ()
) -> list[Ticket]:
    """Tickets for people registered together: all valid if the whole group fits, otherwise all
    on the waiting list, so a family is never split at the door. Locks the event row."""
    sessions = list(sessions)
    with transaction.atomic():
        event = event_lock(event=event)
        free = places_left(event=event, sessions=sessions)
        status = (
            Ticket.Status.VALID
            if free is None or free >= len(attendees)
            else Ticket.Status.WAITLISTED
        )
        tickets = []
        for attendee in attendees:
            ticket = _save_with_fresh_codes(Ticket(event=event, attendee=attendee, status=status))
            if sessions:
                ticket.sessions.set(sessions)
            tickets.append(ticket)
    return tickets


def waitlist_promote(*, event: Event) -> list[Ticket]:
    """Give free places to the waiting list, oldest registration first. A group is promoted whole
    or not at all; a group that does not fit yet is passed over so that smaller registrations
    behind it can still use the places."""
    promoted: list[Ticket] = []
    with transaction.atomic():
        event = event_lock(event=event)
        waiting = (
            Ticket.objects.filter(event=event, status=Ticket.Status.WAITLISTED)
            .select_related("attendee")
            .prefetch_related("sessions")
            .order_by("issued_at", "id")
        )
        groups: dict[int, list[Ticket]] = {}
        for ticket in waiting:
            groups.setdefault(ticket.attendee.registration_id, []).append(ticket)
        for group in groups.values():
            free = places_left(event=event, sessions=group[0].sessions.all())
            if free is not None and free < len(group):
                continue
            for ticket in group:
                ticket.status = Ticket.Status.VALID
                ticket.save(update_fields=["status"])
                promoted.append(ticket)
        for ticket in promoted:
            ticket_id = ticket.pk
            transaction.on_commit(
                lambda ticket_id=ticket_id: signals.ticket_promoted.send(
                    sender=Ticket, ticket_id=ticket_id
                )
            )
    return promoted


def ticket_cancel(*, ticket: Ticket, actor=None) -> Ticket:
    """Cancel a ticket; a freed place goes to the waiting list straight away."""
    with transaction.atomic():
        event_lock(event=ticket.event)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CANCELLED:
            raise ApplicationError(
                _("This ticket is already cancelled."), code="already_cancelled", status=409
            )
        was_valid = ticket.status == Ticket.Status.VALID
        ticket.status = Ticket.Status.CANCELLED
        ticket.cancelled_at = timezone.now()
        ticket.save(update_fields=["status", "cancelled_at"])
        audit_record(actor=actor, action="ticket.cancel", target=ticket)
        ticket_id = ticket.pk
        transaction.on_commit(
            lambda: signals.ticket_cancelled.send(sender=Ticket, ticket_id=ticket_id)
        )
        if was_valid:
            waitlist_promote(event=ticket.event)
    return ticket


def registration_cancel(*, registration, actor=None) -> list[Ticket]:
    """Cancel every ticket of a registration still standing (valid or waiting), then give the
    freed places to the waiting list once, in the same transaction. A second call finds nothing
    left to cancel and promotes no one: the event lock serialises two callers."""
    with transaction.atomic():
        event = event_lock(event=registration.event)
        tickets = list(
            Ticket.objects.select_for_update(of=("self",))
            .filter(attendee__registration_id=registration.pk)
            .exclude(status=Ticket.Status.CANCELLED)
            .order_by("id")
        )
        freed = any(ticket.status == Ticket.Status.VALID for ticket in tickets)
        now = timezone.now()
        for ticket in tickets:
            ticket.status = Ticket.Status.CANCELLED
            ticket.cancelled_at = now
            ticket.save(update_fields=["status", "cancelled_at"])
            audit_record(actor=actor, action="ticket.cancel", target=ticket)
            ticket_id = ticket.pk
            transaction.on_commit(
                lambda ticket_id=ticket_id: signals.ticket_cancelled.send(
                    sender=Ticket, ticket_id=ticket_id
                )
            )
        if freed:
            waitlist_promote(event=event)
    return tickets


def ticket_reissue(*, ticket: Ticket, actor=None) -> Ticket:
    """A new secret and short code for a lost or shared ticket: the old QR and code stop working."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status == Ticket.Status.CANCELLED:
            raise ApplicationError(
                _("A cancelled ticket cannot be re-issued."), code="ticket_cancelled", status=409
            )
        ticket.reissued_at = timezone.now()
        _save_with_fresh_codes(ticket)
        audit_record(actor=actor, action="ticket.reissue", target=ticket)
        ticket_id = ticket.pk
        transaction.on_commit(
            lambda: signals.ticket_reissued.send(sender=Ticket, ticket_id=ticket_id)
        )
    return ticket
