"""Admitting a ticket holder at the door (and scanning them out where the event wants it)."""

import datetime
import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from events.codes import normalize_short_code
from events.models import Attendee, Session, Ticket

from ..models import Attendance, DoorAction, DoorToken, ScanAttempt, ScanStatus
from .door import (
    answer_once,
    door_input,
    door_settings_for,
    session_not_open_message,
    token_may_use,
    truncate_text,
)

# A QR code may hold the bare secret or the ticket page's URL; both lead to the secret.
_TICKET_URL = re.compile(r"/tickets/([A-Za-z0-9_-]+)/?$")
MAX_TEXT_LENGTH = 512


def _find_ticket(text: str) -> tuple[Ticket | None, str]:
    """The ticket a scanned or typed text names, and the attendance source it implies."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        return None, Attendance.Source.SCAN
    match = _TICKET_URL.search(text)
    secret = match.group(1) if match else text
    # What the answer needs comes with the ticket, so a scan runs the same few queries always.
    members = (
        Attendee.objects.filter(registration_id=OuterRef("attendee__registration_id"))
        .order_by()
        .values("registration_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    tickets = Ticket.objects.select_related("attendee__registration", "event").annotate(
        has_session_restrictions=Exists(
            Ticket.sessions.through.objects.filter(ticket_id=OuterRef("pk"))
        ),
        group_size=Subquery(members),
    )
    ticket = tickets.filter(secret=secret).first()
    if ticket is not None:
        return ticket, Attendance.Source.SCAN
    code = normalize_short_code(text)
    if code:
        return tickets.filter(short_code=code).first(), Attendance.Source.SHORT_CODE
    return None, Attendance.Source.SCAN


def _loggable_text(text: str, ticket: Ticket | None) -> str:
    """What the scan log keeps of the scanned text. A recognised QR secret is cut to a few
    characters: enough to correlate scans, useless to open the ticket page or forge a scan."""
    text = text or ""
    if ticket is not None and ticket.secret in text:
        text = text.replace(ticket.secret, ticket.secret[:6] + "…")
    return truncate_text(text)


def attendee_summary(ticket: Ticket) -> dict:
    """Only what a volunteer needs at the door: never phone, e-mail or family name."""
    attendee = ticket.attendee
    group_size = getattr(ticket, "group_size", None)
    if group_size is None:
        group_size = attendee.registration.members.count()
    return {
        "first_name": attendee.first_name,
        "gender": attendee.gender,
        "gender_label": str(attendee.get_gender_display()),
        "age_band": attendee.age_band,
        "profile": attendee.profile,
        "profile_label": str(attendee.get_profile_display()),
        "group_size": group_size,
    }


def _answer(status: str, message: str, **extra) -> dict:
    return {
        "status": status,
        "message": str(message),
        "attendee": None,
        "admitted_at": None,
        "gate": None,
        **extra,
    }


def _already_admitted(ticket: Ticket, attendance: Attendance) -> dict:
    at = timezone.localtime(attendance.recorded_at)
    if attendance.gate:
        message = _("%(name)s was already admitted at %(time)s, gate %(gate)s.")
    else:
        message = _("%(name)s was already admitted at %(time)s.")
    message = message % {
        "name": ticket.attendee.first_name or _("This person"),
        "time": at.strftime("%H:%M"),
        "gate": attendance.gate,
    }
    return _answer(
        ScanStatus.ALREADY_ADMITTED,
        message,
        attendee=attendee_summary(ticket),
        admitted_at=attendance.recorded_at.isoformat(),
        gate=attendance.gate,
    )


def _active_admission(ticket: Ticket, session: Session) -> Attendance | None:
    return Attendance.objects.filter(ticket=ticket, session=session, voided_at__isnull=True).first()


def _last_movement(ticket: Ticket, session: Session) -> str | None:
    """admitted or exited: where the ticket holder went last, from the scan log."""
    return (
        ScanAttempt.objects.filter(
            session=session, ticket=ticket, status__in=[ScanStatus.ADMITTED, ScanStatus.EXITED]
        )
        .order_by("-server_time", "-id")
        .values_list("status", flat=True)
        .first()
    )


def _ticket_problem(ticket: Ticket | None, session: Session) -> dict | None:
    """The answer for a ticket that cannot enter this session, or None when it may."""
    if ticket is None:
        return _answer(
            ScanStatus.UNKNOWN_TICKET,
            _("Unknown ticket. Check the code, or search the person by first name."),
        )
    if ticket.event_id != session.event_id:
        return _answer(
            ScanStatus.WRONG_EVENT,
            _("This ticket is for another event: %(event)s.")
            % {"event": ticket.event.display_title},
        )
    if ticket.status == Ticket.Status.CANCELLED:
        return _answer(ScanStatus.CANCELLED, _("This ticket was cancelled: it is not valid."))
    if ticket.status == Ticket.Status.WAITLISTED:
        return _answer(
            ScanStatus.CANCELLED,
            _("This ticket is on the waiting list: it is not valid for entry."),
        )
    restricted = getattr(ticket, "has_session_restrictions", True)
    allowed_sessions = list(ticket.sessions.all()) if restricted else []
    if allowed_sessions and session not in allowed_sessions:
        if any(other.date == session.date for other in allowed_sessions):
            return _answer(
                ScanStatus.WRONG_SESSION, _("This ticket is for another session of this event.")
            )
        dates = ", ".join(sorted({other.date.strftime("%d/%m/%Y") for other in allowed_sessions}))
        return _answer(
            ScanStatus.NOT_VALID_TODAY,
            _("This ticket is not valid today. It is valid on: %(dates)s.") % {"dates": dates},
        )
    return None


def _admit(*, token, ticket, session, gate, source, now) -> tuple[dict, Attendance | None]:
    attendee = ticket.attendee
    try:
        # The savepoint keeps the outer transaction usable when the constraint says no.
        with transaction.atomic():
            attendance = Attendance.objects.create(
                event_id=session.event_id,
                session=session,
                ticket=ticket,
                source=source,
                gender=attendee.gender,
                age_band=attendee.age_band,
                profile=attendee.profile,
                headcount=1,
                gate=gate,
                recorded_at=now,
                recorded_by_label=token.label,
                door_token=token,
            )
    except IntegrityError:
        # Someone admitted this ticket a moment ago (another gate, a double tap): the database's
        # one-admission-per-ticket-per-session constraint decided, we only report it.
        existing = _active_admission(ticket, session)
        if existing is None:
            raise
        return _already_admitted(ticket, existing), existing
    message = _("Welcome, %(name)s!") % {"name": attendee.first_name or _("admitted")}
    return _answer(ScanStatus.ADMITTED, message, attendee=attendee_summary(ticket)), attendance


def checkin_scan(
    *,
    token: DoorToken,
    text: str,
    session: Session,
    gate: str = "",
    nonce: uuid.UUID,
    client_time: datetime.datetime | None = None,
    from_lookup: bool = False,
    direction: str = DoorAction.ENTRY,
) -> dict:
    """Answer one scan at the door, log it, and admit the person when the ticket is good.

    Returns the ScanResult as a dict (status, translated message, minimal attendee fields)."""
    gate = door_input(gate, 60)
    text = door_input(text, MAX_TEXT_LENGTH + 1)  # one over the limit still reads as "too long"
    if direction not in (DoorAction.ENTRY, DoorAction.EXIT):
        raise ApplicationError(_("Unknown scan direction."), code="invalid")
    if direction == DoorAction.EXIT and not door_settings_for(session.event).exit_scans_enabled:
        raise ApplicationError(
            _("This event does not scan people out."), code="exit_scans_disabled"
        )

    def evaluate():
        now = timezone.now()
        ticket, source = None, Attendance.Source.SCAN
        attendance = None
        if not token_may_use(token, session):
            response = _answer(
                ScanStatus.NOT_ALLOWED, _("Your door token is not assigned to this event.")
            )
        elif (closed := session_not_open_message(session, now)) is not None:
            response = _answer(ScanStatus.SESSION_NOT_OPEN, closed)
        else:
            ticket, source = _find_ticket(text)
            if from_lookup:
                source = Attendance.Source.LOOKUP
            response = _ticket_problem(ticket, session)
            if response is None and direction == DoorAction.EXIT:
                response, attendance = _scan_out(ticket=ticket, session=session)
            elif response is None:
                response, attendance = _scan_in(
                    token=token, ticket=ticket, session=session, gate=gate, source=source, now=now
                )
        fields = {
            "event_id": session.event_id,
            "session": session,
            "action": direction,
            "status": response["status"],
            "text": _loggable_text(text, ticket),
            "gate": gate,
            "client_time": client_time,
            "ticket": ticket,
            "attendance": attendance,
        }
        return response, fields

    # answer_once opens the transaction: an outer one would only add a savepoint per scan.
    return answer_once(token=token, nonce=nonce, evaluate=evaluate)


def _scan_in(*, token, ticket, session, gate, source, now):
    existing = _active_admission(ticket, session)
    if existing is None:
        return _admit(
            token=token, ticket=ticket, session=session, gate=gate, source=source, now=now
        )
    if door_settings_for(session.event).exit_scans_enabled:
        # Re-entry after an exit scan: welcome back, still one attendance for the session.
        Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if _last_movement(ticket, session) == ScanStatus.EXITED:
            message = _("Welcome back, %(name)s!") % {"name": ticket.attendee.first_name}
            return _answer(
                ScanStatus.ADMITTED, message, attendee=attendee_summary(ticket)
            ), existing
    return _already_admitted(ticket, existing), existing


def _scan_out(*, ticket, session):
    # Serialise the movements of one ticket so that "inside now" never counts a person twice.
    Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
    existing = _active_admission(ticket, session)
    if existing is None or _last_movement(ticket, session) != ScanStatus.ADMITTED:
        return _answer(
            ScanStatus.NOT_INSIDE, _("This person is not inside: scan them in first.")
        ), None
    message = _("Goodbye, %(name)s!") % {"name": ticket.attendee.first_name}
    return _answer(ScanStatus.EXITED, message, attendee=attendee_summary(ticket)), existing
