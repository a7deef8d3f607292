"""Admitting a ticket holder at the door (and scanning them out where the event wants it).

A scan is the door's hot path: a volunteer waits for the answer with a queue behind them. It reads
with one plain SQL statement (attendance/scan_reads.py); a first admission then writes the
attendance and its scan log row together (one statement on PostgreSQL), any other answer writes
the scan log row alone. The database's one-admission constraint, not a read before the write,
decides who enters."""

import datetime
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, NotFound
from core.fastsql import insert_row, insert_row_and_child
from events.models import Session, Ticket

from ..models import Attendance, DoorAction, DoorToken, ScanAttempt, ScanStatus
from ..scan_reads import (
    MAX_TEXT_LENGTH,
    Admission,
    DoorTicket,
    ScanContext,
    active_admission,
    scan_reads,
)
from .door import closed_message, door_input, stored_answer, truncate_text, window_of
from .tokens import door_token_forget


def loggable_text(text: str, ticket: DoorTicket | None) -> str:
    """What the scan log keeps of the scanned text. A recognised QR secret is cut to a few
    characters: enough to correlate scans, useless to open the ticket page or forge a scan."""
    text = text or ""
    if ticket is not None and ticket.secret in text:
        text = text.replace(ticket.secret, ticket.secret[:6] + "…")
    return truncate_text(text)


def attendee_summary(ticket: DoorTicket) -> dict:
    """Only what a volunteer needs at the door: never phone, e-mail or family name."""
    return {
        "first_name": ticket.first_name,
        "gender": ticket.gender,
        "gender_label": ticket.gender_label,
        "age_band": ticket.age_band,
        "profile": ticket.profile,
        "profile_label": ticket.profile_label,
        "group_size": ticket.group_size,
    }


def scan_answer(status: str, message: str, **extra) -> dict:
    return {
        "status": status,
        "message": str(message),
        "attendee": None,
        "admitted_at": None,
        "gate": None,
        **extra,
    }


def already_admitted(ticket: DoorTicket, admission: Admission) -> dict:
    at = timezone.localtime(admission.recorded_at)
    if admission.gate:
        message = _("%(name)s was already admitted at %(time)s, gate %(gate)s.")
    else:
        message = _("%(name)s was already admitted at %(time)s.")
    message = message % {
        "name": ticket.first_name or _("This person"),
        "time": at.strftime("%H:%M"),
        "gate": admission.gate,
    }
    return scan_answer(
        ScanStatus.ALREADY_ADMITTED,
        message,
        attendee=attendee_summary(ticket),
        admitted_at=admission.recorded_at.isoformat(),
        gate=admission.gate,
    )


def ticket_problem(
    ticket: DoorTicket | None,
    *,
    token_id: int,
    event_id: int,
    session_id: int,
    date: datetime.date,
) -> dict | None:
    """The answer for a ticket that cannot enter this session, or None when it may. `token_id`:
    the door token asking, which decides whether another event may be named."""
    if ticket is None:
        return scan_answer(
            ScanStatus.UNKNOWN_TICKET,
            _("Unknown ticket. Check the code, or search the person by first name."),
        )
    if ticket.event_id != event_id:
        if (title := ticket.event_title_for(token_id)) is None:
            return scan_answer(ScanStatus.WRONG_EVENT, _("This ticket is for another event."))
        return scan_answer(
            ScanStatus.WRONG_EVENT,
            _("This ticket is for another event: %(event)s.") % {"event": title},
        )
    if ticket.status == Ticket.Status.CANCELLED:
        return scan_answer(ScanStatus.CANCELLED, _("This ticket was cancelled: it is not valid."))
    if ticket.status == Ticket.Status.WAITLISTED:
        return scan_answer(
            ScanStatus.CANCELLED,
            _("This ticket is on the waiting list: it is not valid for entry."),
        )
    allowed_sessions = ticket.allowed_sessions()
    if allowed_sessions and session_id not in {other.pk for other in allowed_sessions}:
        if any(other.date == date for other in allowed_sessions):
            return scan_answer(
                ScanStatus.WRONG_SESSION, _("This ticket is for another session of this event.")
            )
        dates = ", ".join(sorted({other.date.strftime("%d/%m/%Y") for other in allowed_sessions}))
        return scan_answer(
            ScanStatus.NOT_VALID_TODAY,
            _("This ticket is not valid today. It is valid on: %(dates)s.") % {"dates": dates},
        )
    return None


def attendance_values(
    *, token: DoorToken, ticket: DoorTicket, session_id: int, event_id: int, gate: str, source, now
) -> dict:
    """The attendance row of a ticket holder admitted at the door, every column given."""
    return {
        "event_id": event_id,
        "session_id": session_id,
        "ticket_id": ticket.id,
        "source": source,
        "gender": ticket.gender,
        "age_band": ticket.age_band,
        "profile": ticket.profile,
        "headcount": 1,
        "gate": gate,
        "recorded_at": now,
        "recorded_by_label": token.label,
        "door_token_id": token.pk,
        "void_reason": "",
    }


def welcome(ticket: DoorTicket) -> dict:
    message = _("Welcome, %(name)s!") % {"name": ticket.first_name or _("admitted")}
    return scan_answer(ScanStatus.ADMITTED, message, attendee=attendee_summary(ticket))


def beaten_to_it(ticket: DoorTicket, session_id: int) -> tuple[dict, Admission] | None:
    """The answer when the one-admission constraint skipped our row: someone admitted this ticket
    a moment ago (another gate, a double tap). The database decided; we only report it. None
    when that admission was undone in the same instant (nothing to report, ours may go in)."""
    existing = active_admission(ticket_id=ticket.id, session_id=session_id)
    if existing is None:
        return None
    return already_admitted(ticket, existing), existing


def changed_meanwhile() -> ApplicationError:
    return ApplicationError(
        _("This ticket changed at this very moment: scan it again."), code="conflict", status=409
    )


def admit(
    *,
    token: DoorToken,
    ticket: DoorTicket,
    session_id: int,
    event_id: int,
    gate: str,
    source: str,
    now: datetime.datetime,
) -> tuple[dict, Admission]:
    """Record the ticket's admission to the session, or report the one that beat it. Runs inside
    the caller's transaction, with no savepoint: a refused row is skipped, not an error."""
    values = attendance_values(
        token=token,
        ticket=ticket,
        session_id=session_id,
        event_id=event_id,
        gate=gate,
        source=source,
        now=now,
    )
    for _attempt in range(2):  # a second try only if the admission that beat ours was undone
        attendance_id = insert_row(Attendance, values, ignore_conflicts=True)
        if attendance_id is not None:
            return welcome(ticket), Admission(id=attendance_id, recorded_at=now, gate=gate)
        if (reported := beaten_to_it(ticket, session_id)) is not None:
            return reported
    raise changed_meanwhile()


@dataclass(frozen=True)
class _Scan:
    token: DoorToken
    context: ScanContext
    text: str
    gate: str
    nonce: uuid.UUID
    client_time: datetime.datetime | None
    direction: str

    def _admission(self, ticket: DoorTicket, source: str, now) -> dict:
        """Who is admitted where, by whom: the arguments of admit() and attendance_values()."""
        return {
            "token": self.token,
            "ticket": ticket,
            "session_id": self.context.session_id,
            "event_id": self.context.event_id,
            "gate": self.gate,
            "source": source,
            "now": now,
        }

    def admit(self, ticket: DoorTicket, *, source: str, now) -> tuple[dict, Admission]:
        return admit(**self._admission(ticket, source, now))

    def admit_and_log(self, ticket: DoorTicket, *, source: str, now) -> dict:
        """A first admission: the attendance and its scan log row in one write (both or
        neither); the log row alone when someone else admitted the ticket first."""
        response = welcome(ticket)
        attendance = attendance_values(**self._admission(ticket, source, now))
        log = self.log_values(response, ticket=ticket, admission=None)
        with _single_statement():
            written = insert_row_and_child(
                Attendance, attendance, ScanAttempt, log, link="attendance_id"
            )
        if written:
            return response
        if (reported := beaten_to_it(ticket, self.context.session_id)) is None:
            raise changed_meanwhile()  # the volunteer scans again: a plain admission then
        response, existing = reported
        with _single_statement():
            self.log(response, ticket=ticket, admission=existing)
        return response

    def log_values(
        self,
        response: dict,
        *,
        ticket: DoorTicket | None,
        admission: Admission | None,
        text_of: DoorTicket | None = None,
    ) -> dict:
        """The scan log row, which also stores the answer given to this nonce. `text_of`: the
        ticket whose secret to cut out of the logged text, when it is not the linked one."""
        return {
            "token_id": self.token.pk,
            "event_id": self.context.event_id,
            "session_id": self.context.session_id,
            "action": self.direction,
            "status": response["status"],
            "text": loggable_text(self.text, text_of or ticket),
            "gate": self.gate,
            "nonce": self.nonce,
            "client_time": self.client_time,
            "server_time": timezone.now(),
            "ticket_id": ticket.id if ticket else None,
            "attendance_id": admission.id if admission else None,
            "response": response,
        }

    def log(self, response: dict, **row) -> None:
        insert_row(ScanAttempt, self.log_values(response, **row))


def checkin_scan(
    *,
    token: DoorToken,
    text: str,
    session: Session | int,
    gate: str = "",
    nonce: uuid.UUID,
    client_time: datetime.datetime | None = None,
    from_lookup: bool = False,
    direction: str = DoorAction.ENTRY,
) -> dict:
    """Answer one scan at the door, log it, and admit the person when the ticket is good.

    `session` is a Session or its id (the scanner API passes the id: the reads bring the rest).
    Answers once per token and nonce: a retry, even a concurrent one, gets the first answer and
    writes nothing. Returns the ScanResult as a dict (status, translated message, minimal
    attendee fields)."""
    gate = door_input(gate, 60)
    text = door_input(text, MAX_TEXT_LENGTH + 1)  # one over the limit still reads as "too long"
    if direction not in (DoorAction.ENTRY, DoorAction.EXIT):
        raise ApplicationError(_("Unknown scan direction."), code="invalid")
    session_id = session.pk if isinstance(session, Session) else session
    context, ticket, by_short_code = scan_reads(
        token_id=token.pk, session_id=session_id, nonce=nonce, text=text
    )
    if not context.token_active:
        # Revoked or expired since this process last read it (ScanTokenAuth recalls tokens).
        door_token_forget(token)
        raise ApplicationError(
            _("This door token is not valid (revoked or expired). Ask your organizer."),
            code="unauthenticated",
            status=401,
        )
    if context.session_id is None:
        raise NotFound(_("Unknown session."))
    if direction == DoorAction.EXIT and not context.exit_scans_enabled:
        raise ApplicationError(
            _("This event does not scan people out."), code="exit_scans_disabled"
        )
    if context.stored_answer is not None:
        return context.stored_answer
    if from_lookup:
        source = Attendance.Source.LOOKUP
    elif by_short_code:
        source = Attendance.Source.SHORT_CODE
    else:
        source = Attendance.Source.SCAN
    scan = _Scan(token, context, text, gate, nonce, client_time, direction)
    try:
        return _scan_answered(scan, ticket, source=source)
    except IntegrityError:
        # A concurrent request with the same nonce committed first: its writes stand, ours were
        # rolled back, and the volunteer sees its answer.
        previous = stored_answer(token, nonce)
        if previous is None:
            raise
        return previous


def _single_statement():
    # One INSERT in autocommit is atomic by itself (no BEGIN/COMMIT round trips); inside a
    # caller's transaction it needs a savepoint so that a refused row leaves it usable.
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _scan_answered(scan: _Scan, ticket: DoorTicket | None, *, source: str) -> dict:
    context = scan.context
    now = timezone.now()
    window = window_of(
        context.date,
        context.start_time,
        context.end_time,
        opens_minutes_before=context.opens_minutes_before,
        closes_minutes_after=context.closes_minutes_after,
    )
    # The ticket is read with the context; a token refused here is told nothing of it, and the
    # scan log keeps no link to it (only the cut text, so no secret lands in the log).
    read = ticket
    if not context.token_allowed:
        ticket = None
        refusal = scan_answer(
            ScanStatus.NOT_ALLOWED, _("Your door token is not assigned to this event.")
        )
    elif (closed := closed_message(window, now)) is not None:
        ticket = None
        refusal = scan_answer(ScanStatus.SESSION_NOT_OPEN, closed)
    else:
        refusal = ticket_problem(
            ticket,
            token_id=scan.token.pk,
            event_id=context.event_id,
            session_id=context.session_id,
            date=context.date,
        )
    if refusal is not None:
        with _single_statement():
            scan.log(refusal, ticket=ticket, admission=None, text_of=read)
        return refusal
    if scan.direction == DoorAction.EXIT or (ticket.admission and context.exit_scans_enabled):
        with transaction.atomic():
            if scan.direction == DoorAction.EXIT:
                response, admission = _scan_out(ticket, context.session_id)
            else:
                response, admission = _scan_back_in(scan, ticket, source=source, now=now)
            scan.log(response, ticket=ticket, admission=admission)
        return response
    if ticket.admission is not None:
        response = already_admitted(ticket, ticket.admission)
        with _single_statement():
            scan.log(response, ticket=ticket, admission=ticket.admission)
        return response
    return scan.admit_and_log(ticket, source=source, now=now)


def _lock_movements(ticket: DoorTicket) -> None:
    # Serialise the movements of one ticket so that "inside now" never counts a person twice.
    Ticket.objects.select_for_update().filter(pk=ticket.id).values_list("pk").first()


def _last_movement(ticket: DoorTicket, session_id: int) -> str | None:
    """admitted or exited: where the ticket holder went last, from the scan log."""
    return (
        ScanAttempt.objects.filter(
            session_id=session_id,
            ticket_id=ticket.id,
            status__in=[ScanStatus.ADMITTED, ScanStatus.EXITED],
        )
        .order_by("-server_time", "-id")
        .values_list("status", flat=True)
        .first()
    )


def _scan_back_in(scan: _Scan, ticket: DoorTicket, *, source: str, now) -> tuple[dict, Admission]:
    """Re-entry after an exit scan: welcome back, still one attendance for the session."""
    session_id = scan.context.session_id
    _lock_movements(ticket)
    existing = active_admission(ticket_id=ticket.id, session_id=session_id)
    if existing is None:  # undone since it was read: a plain admission
        return scan.admit(ticket, source=source, now=now)
    if _last_movement(ticket, session_id) == ScanStatus.EXITED:
        message = _("Welcome back, %(name)s!") % {"name": ticket.first_name}
        return scan_answer(
            ScanStatus.ADMITTED, message, attendee=attendee_summary(ticket)
        ), existing
    return already_admitted(ticket, existing), existing


def _scan_out(ticket: DoorTicket, session_id: int) -> tuple[dict, Admission | None]:
    _lock_movements(ticket)
    existing = active_admission(ticket_id=ticket.id, session_id=session_id)
    if existing is None or _last_movement(ticket, session_id) != ScanStatus.ADMITTED:
        return scan_answer(
            ScanStatus.NOT_INSIDE, _("This person is not inside: scan them in first.")
        ), None
    message = _("Goodbye, %(name)s!") % {"name": ticket.first_name}
    return scan_answer(ScanStatus.EXITED, message, attendee=attendee_summary(ticket)), existing
