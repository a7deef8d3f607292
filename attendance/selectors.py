"""Reads for attendance: the door and organizer pages, and the counted attendance rows that
reporting's exports read (the figures themselves live in reporting)."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from core.demographics import Gender
from core.permissions import scope_events
from events.codes import CROCKFORD_ALPHABET
from events.models import Session, Ticket

from .models import Attendance, DoorToken, ScanAttempt, ScanStatus, SyncConflict

LOOKUP_LIMIT = 20


def session_tickets(*, session: Session) -> QuerySet[Ticket]:
    """Valid tickets that let their holder into `session`."""
    return (
        Ticket.objects.filter(event_id=session.event_id, status=Ticket.Status.VALID)
        .annotate(restrictions=Count("sessions", distinct=True))
        .filter(Q(restrictions=0) | Q(sessions=session))
        .distinct()
        .select_related("attendee__registration")
        .annotate(group_size=Count("attendee__registration__members", distinct=True))
        .order_by("attendee__first_name", "short_code")
    )


def admitted_ticket_ids(*, session: Session) -> set[int]:
    return set(
        Attendance.objects.filter(
            session=session, ticket__isnull=False, voided_at__isnull=True
        ).values_list("ticket_id", flat=True)
    )


def paper_list_tickets(*, session: Session) -> list[Ticket]:
    """Tickets that may still be marked attended from the paper list."""
    admitted = admitted_ticket_ids(session=session)
    return [ticket for ticket in session_tickets(session=session) if ticket.pk not in admitted]


def door_lookup(*, session: Session, query: str) -> list[dict]:
    """Registrations of the session by first name or short-code prefix: minimal fields only."""
    query = "".join(ch for ch in (query or "") if ch >= " ").strip()
    if len(query) < 2:
        return []
    code_prefix = "".join(ch for ch in query.upper() if ch not in " -")
    condition = Q(attendee__first_name__istartswith=query)
    if code_prefix and all(ch in CROCKFORD_ALPHABET for ch in code_prefix):
        condition |= Q(short_code__startswith=code_prefix)
    admitted = admitted_ticket_ids(session=session)
    tickets = session_tickets(session=session).filter(condition)[:LOOKUP_LIMIT]
    return [
        {
            "short_code": ticket.short_code,
            "first_name": ticket.attendee.first_name,
            "gender": ticket.attendee.gender,
            "gender_label": str(ticket.attendee.get_gender_display()),
            "age_band": ticket.attendee.age_band,
            "group_size": ticket.group_size,
            "admitted": ticket.pk in admitted,
        }
        for ticket in tickets
    ]


def people_out(*, session_id: int) -> int:
    """Admitted ticket holders whose last door movement in the session was an exit scan. One
    query whatever the number of movements: each active admission looks up its ticket's last
    movement through the (session, ticket, action) index of the scan log."""
    last_movement = (
        ScanAttempt.objects.filter(
            session_id=session_id,
            ticket_id=OuterRef("ticket_id"),
            status__in=[ScanStatus.ADMITTED, ScanStatus.EXITED],
        )
        .order_by("-server_time", "-id")
        .values("status")[:1]
    )
    return (
        Attendance.objects.filter(session_id=session_id, ticket__isnull=False, voided_at=None)
        .annotate(last_movement=Subquery(last_movement))
        .filter(last_movement=ScanStatus.EXITED)
        .count()
    )


def inside_now(*, session_id: int) -> int:
    """People inside the session now: everyone counted (scans, walk-ins, tallies) minus the
    ticket holders who went out and did not come back."""
    counted = Attendance.objects.filter(session_id=session_id, voided_at=None).aggregate(
        people=Sum("headcount")
    )["people"]
    return (counted or 0) - people_out(session_id=session_id)


def session_counts(*, session: Session) -> dict:
    """People admitted to the session (scans, walk-ins, tallies), split by gender."""
    # One grouped query: every scanner polls this every few seconds.
    rows = (
        Attendance.objects.filter(session=session, voided_at__isnull=True)
        .values("gender")
        .annotate(
            people=Sum("headcount"),
            walk_ins=Sum("headcount", filter=Q(source=Attendance.Source.WALK_IN)),
        )
        .order_by()
    )
    by_gender = dict.fromkeys(Gender.values, 0)
    walk_ins = 0
    for row in rows:
        by_gender[row["gender"]] = row["people"]
        walk_ins += row["walk_ins"] or 0
    total = sum(by_gender.values())
    from .services.door import door_settings_for

    exits_enabled = door_settings_for(session.event).exit_scans_enabled
    return {
        "session_id": session.pk,
        "total": total,
        "by_gender": by_gender,
        "walk_ins": walk_ins,
        "inside_now": total - people_out(session_id=session.pk) if exits_enabled else None,
    }


def token_sessions(*, token: DoorToken) -> QuerySet[Session]:
    return (
        Session.objects.filter(event__in=token.events.all())
        # The door settings come along for the check-in windows (offline pack, scanner).
        .select_related("event", "event__door_settings", "venue")
        .order_by("date", "start_time", "id")
    )


def scan_log(*, session: Session, status: str = "", gate: str = "", token_id: int | None = None):
    attempts = ScanAttempt.objects.filter(session=session).select_related("token")
    if status:
        attempts = attempts.filter(status=status)
    if gate:
        attempts = attempts.filter(gate=gate)
    if token_id:
        attempts = attempts.filter(token_id=token_id)
    return attempts


def session_admissions(*, session: Session) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session=session).select_related("ticket", "door_token")


def sessions_for_organizer(*, user) -> QuerySet[Session]:
    return scope_events(user, Session.objects.select_related("event"), prefix="event__")


def attendance_list_for_event(*, event) -> QuerySet:
    """Counted attendance rows of one event with only what the list export shows."""
    return (
        Attendance.objects.filter(event=event, voided_at__isnull=True)
        .select_related("session__event", "ticket__attendee")
        .order_by("session__date", "session__start_time", "recorded_at", "id")
    )


def sync_conflicts(*, session: Session) -> QuerySet[SyncConflict]:
    """What offline scanners admitted that the server could not accept as is, newest first."""
    return SyncConflict.objects.filter(session=session).select_related(
        "token", "ticket", "kept_attendance"
    )


def attended_ticket_ids(*, event) -> set[int]:
    """Tickets of the event with at least one counted (not voided) admission."""
    return set(
        Attendance.objects.filter(
            event=event, ticket__isnull=False, voided_at__isnull=True
        ).values_list("ticket_id", flat=True)
    )


def ticket_attended(*, ticket) -> bool:
    """Whether the ticket's holder was admitted to at least one session (voided rows excluded)."""
    return Attendance.objects.filter(ticket=ticket, voided_at__isnull=True).exists()
