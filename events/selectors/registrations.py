"""Reads for registrations and tickets."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, When

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
    expected: int = 0  # people with a valid ticket for that session
    confirmed: int = 0  # of those, people whose registration confirmed
    declined: int = 0  # people whose registration was cancelled by reply


def event_answer_figures(*, event: Event, today: datetime.date) -> AnswerFigures:
    """Two queries whatever the number of tickets: the next session, then one aggregate."""
    session = (
        Session.objects.filter(event=event, date__gte=today).order_by("date", "start_time").first()
    )
    return answer_figures_for_sessions(next_sessions={event.pk: session})[event.pk]


def answer_figures_for_sessions(
    *, next_sessions: dict[int, Session | None]
) -> dict[int, AnswerFigures]:
    """{event id: figures} for many events in one query, each counted for the session given
    (its next one): a ticket counts when it is valid for every session or names that one."""
    through = Ticket.sessions.through
    session_ids = [session.pk for session in next_sessions.values() if session is not None]
    for_next = Q(status=Ticket.Status.VALID) & (
        ~Exists(through.objects.filter(ticket_id=OuterRef("pk")))
        | Exists(through.objects.filter(ticket_id=OuterRef("pk"), session_id__in=session_ids))
    )
    rows = (
        Ticket.objects.filter(event_id__in=list(next_sessions))
        .annotate(for_next=Case(When(for_next, then=1), default=0, output_field=IntegerField()))
        .values("event_id")
        .annotate(
            expected=Sum("for_next"),
            confirmed=Sum(
                "for_next",
                filter=Q(attendee__registration__answer=Registration.Answer.CONFIRMED),
            ),
            declined=Count(
                "pk",
                filter=Q(
                    status=Ticket.Status.CANCELLED,
                    attendee__registration__answer=Registration.Answer.DECLINED,
                ),
            ),
        )
    )
    found = {row.pop("event_id"): row for row in rows}
    figures = {}
    for event_id, session in next_sessions.items():
        counts = found.get(event_id, {})
        figures[event_id] = AnswerFigures(
            session=session,
            expected=(counts.get("expected") or 0) if session else 0,
            confirmed=(counts.get("confirmed") or 0) if session else 0,
            declined=counts.get("declined") or 0,
        )
    return figures
