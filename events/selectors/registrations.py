"""Reads for registrations and tickets."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.permissions import scope_events
from events.models import Event, EventStatus, Registration, Session, Ticket

MAX_ID = 2**63


def public_event_get(*, event_id: int) -> Event | None:
    """An event the public may see (published), with what its registration page shows."""
    if not 0 < event_id < MAX_ID:  # beyond a database integer: cannot exist
        return None
    return (
        Event.objects.filter(pk=event_id, status=EventStatus.PUBLISHED)
        .prefetch_related("sessions__venue")
        .first()
    )


def registration_get_by_token(*, token: str) -> Registration | None:
    return Registration.objects.select_related("event").filter(access_token=token).first()


def registration_tickets(*, registration: Registration) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(attendee__registration=registration)
        .select_related("attendee", "event")
        .prefetch_related("sessions__venue")
        .order_by("-attendee__is_contact", "attendee_id")
    )


def ticket_get_by_secret(*, secret: str) -> Ticket | None:
    return (
        Ticket.objects.select_related("event", "attendee__registration")
        .prefetch_related("sessions__venue", "event__sessions__venue")
        .filter(secret=secret)
        .first()
    )


def ticket_sessions(*, ticket: Ticket) -> list:
    """The sessions a ticket admits to: its own restriction, or every session of the event."""
    return list(ticket.sessions.all()) or list(ticket.event.sessions.all())


def registration_list(*, user, event: Event) -> QuerySet[Registration]:
    return (
        scope_events(user, Registration.objects.filter(event=event), prefix="event__")
        .prefetch_related("members__ticket")
        .order_by("created_at", "id")
    )


def ticket_list_for_badges(*, event: Event, registration: Registration | None = None):
    """Tickets worth printing: valid ones, grouped by registration so a class's badges follow."""
    tickets = Ticket.objects.filter(event=event, status=Ticket.Status.VALID).select_related(
        "attendee__registration", "event"
    )
    if registration is not None:
        tickets = tickets.filter(attendee__registration=registration)
    return tickets.order_by("attendee__registration_id", "-attendee__is_contact", "attendee_id")


@dataclass(frozen=True)
class AnswerFigures:
    """How many people of the next session confirmed by reply, and how many cancelled."""

    session: Session | None  # the next session (today or later), None when all are past
    expected: int  # people with a valid ticket for that session
    confirmed: int  # of those, people whose registration confirmed
    declined: int  # people whose registration was cancelled by reply


def event_answer_figures(*, event: Event, today: datetime.date) -> AnswerFigures:
    """Two queries whatever the number of tickets: the next session, then one aggregate."""
    session = (
        Session.objects.filter(event=event, date__gte=today).order_by("date", "start_time").first()
    )
    valid = Q(status=Ticket.Status.VALID)
    if session is not None:
        valid &= Q(sessions__isnull=True) | Q(sessions=session)
    confirmed = Q(attendee__registration__answer=Registration.Answer.CONFIRMED)
    declined = Q(
        status=Ticket.Status.CANCELLED,
        attendee__registration__answer=Registration.Answer.DECLINED,
    )
    counts = Ticket.objects.filter(event=event).aggregate(
        expected=Count("pk", filter=valid, distinct=True),
        confirmed=Count("pk", filter=valid & confirmed, distinct=True),
        declined=Count("pk", filter=declined, distinct=True),
    )
    return AnswerFigures(session=session, **counts)
