"""Reads for registrations and tickets."""

from django.db.models import QuerySet

from core.permissions import scope_events
from events.models import Event, EventStatus, Registration, Ticket

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
