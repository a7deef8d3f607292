"""Admitting a ticket holder at the door (and scanning them out where the event wants it).

A scan is the door's hot path: a volunteer waits for the answer with a queue behind them. It reads
with one plain SQL statement (attendance/scan_reads.py); a first admission then writes the
attendance and its scan log row together (one statement on PostgreSQL), any other answer writes
the scan log row alone. The database's one-admission constraint, not a read before the write,
decides who enters."""

import datetime
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, replace

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
    GroupMember,
    ScanContext,
    active_admission,
    group_members,
    scan_reads,
)
from ..selectors import inside_now
from .admission import (
    ACCESS_ENDED,
    ADMITTED,
    EXITED,
    EXITS_DISABLED,
    MOVEMENT_STATUSES,
    NO_ADMISSION,
    RECORDED,
    REPLAY,
    WRITE_ADMIT,
    WRITE_EXIT,
    WRITE_NOTHING,
    WRITE_REENTER,
    AdmissionContext,
    Decision,
    admission_decide,
    group_opened,
    needs_locked_movement,
)
from .door import closed_message, door_input, stored_answer, truncate_text, window_of
from .door_cards import card_scan, door_card
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


def member_summary(member: GroupMember) -> dict:
    """A member of the scanned ticket's group as the group panel shows it (no secret)."""
    return {
        "ticket_id": member.ticket_id,
        "first_name": member.first_name,
        "gender": member.gender,
        "gender_label": member.gender_label,
        "age_band": member.age_band,
        "status": member.status,
        "admitted": member.admitted,
    }


def group_panel(ticket: DoorTicket | None, decision: Decision, session_id: int) -> list | None:
    """The members of the scanned ticket's household or class, so that the scanner offers to
    admit them together; None for a person alone, or a ticket that opens no group (a door
    closed, a ticket of another event...). Read after the scan's own write: the scanned member
    shows as admitted."""
    if ticket is None or ticket.group_size < 2 or not group_opened(decision):
        return None
    return [member_summary(m) for m in group_members(ticket_id=ticket.id, session_id=session_id)]


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


def restrictions(ticket: DoorTicket | None, *, session_id: int, date) -> tuple[bool, bool, list]:
    """Whether the ticket may enter this session as far as its session restrictions go, whether
    it is restricted to another session the same day, and the sessions it is restricted to (read
    only for a restricted ticket)."""
    if ticket is None or not ticket.has_session_restrictions:
        return True, False, []
    allowed_sessions = ticket.allowed_sessions()
    if not allowed_sessions or session_id in {other.pk for other in allowed_sessions}:
        return True, False, allowed_sessions
    return False, any(other.date == date for other in allowed_sessions), allowed_sessions


def wrong_event_answer(ticket: DoorTicket, *, token_id: int) -> dict:
    """Another event is named only to a door token of the same organizer: a volunteer of one
    organisation is told nothing of another's events."""
    if (title := ticket.event_title_for(token_id)) is None:
        return scan_answer(ScanStatus.WRONG_EVENT, _("This ticket is for another event."))
    return scan_answer(
        ScanStatus.WRONG_EVENT,
        _("This ticket is for another event: %(event)s.") % {"event": title},
    )


def refusal_answer(
    decision: Decision,
    ticket: DoorTicket | None,
    *,
    token_id: int,
    allowed_sessions=(),
    closed: str = "",
) -> dict:
    """The answer shown for a refusal decided by admission_decide()."""
    key = decision.key
    if key == "not_allowed":
        return scan_answer(
            ScanStatus.NOT_ALLOWED, _("Your door token is not assigned to this event.")
        )
    if key == "session_not_open":
        return scan_answer(ScanStatus.SESSION_NOT_OPEN, closed)
    if key == "unknown_ticket":
        return scan_answer(
            ScanStatus.UNKNOWN_TICKET,
            _("Unknown ticket. Check the code, or search the person by first name."),
        )
    if key == "wrong_event":
        return wrong_event_answer(ticket, token_id=token_id)
    if key == "cancelled":
        return scan_answer(ScanStatus.CANCELLED, _("This ticket was cancelled: it is not valid."))
    if key == "waitlisted":
        return scan_answer(
            ScanStatus.CANCELLED,
            _("This ticket is on the waiting list: it is not valid for entry."),
        )
    if key == "wrong_session":
        return scan_answer(
            ScanStatus.WRONG_SESSION, _("This ticket is for another session of this event.")
        )
    if key == "not_valid_today":
        dates = ", ".join(sorted({other.date.strftime("%d/%m/%Y") for other in allowed_sessions}))
        return scan_answer(
            ScanStatus.NOT_VALID_TODAY,
            _("This ticket is not valid today. It is valid on: %(dates)s.") % {"dates": dates},
        )
    if key == "not_inside":
        return scan_answer(
            ScanStatus.NOT_INSIDE, _("This person is not inside: scan them in first.")
        )
    raise ValueError(f"no answer for the decision {decision}")


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
    offer_group: bool = True,
) -> dict:
    """Answer one scan at the door, log it, and admit the person when the ticket is good.

    A ticket of a household or class also answers with its group's members (`group`), unless
    `offer_group` is off (the group admission scans each chosen member with it off).

    `session` is a Session or its id (the scanner API passes the id: the reads bring the rest).
    Answers once per token and nonce: a retry, even a concurrent one, gets the first answer and
    writes nothing. Returns the ScanResult as a dict (status, translated message, minimal
    attendee fields)."""
    session_id = session.pk if isinstance(session, Session) else session
    asked = scan_asked(
        token=token, text=text, session_id=session_id, nonce=nonce, gate=gate, direction=direction
    )
    context, ticket, decision, now = asked.context, asked.ticket, asked.decision, asked.now
    text, gate = asked.text, asked.gate
    admission_context, allowed_sessions = asked.admission_context, asked.allowed_sessions
    by_short_code = asked.by_short_code
    if decision.status == REPLAY:
        return context.stored_answer
    if from_lookup:
        source = Attendance.Source.LOOKUP
    elif by_short_code:
        source = Attendance.Source.SHORT_CODE
    else:
        source = Attendance.Source.SCAN
    scan = _Scan(token, context, text, gate, nonce, client_time, direction)
    card = None
    if decision.key == "unknown_ticket" and not from_lookup:
        # No ticket has this text: it may be a participant card (one more read, off the ticket
        # scan's path).
        card = door_card(text, event_id=context.event_id)
    try:
        if card is not None:
            scan = replace(scan, text=text.replace(card.secret, card.secret[:6] + "…"))
            answer = card_scan(scan, card, source=source, now=now)
            if answer is not None:
                return answer
        answer = _scan_answered(
            scan,
            ticket,
            source=source,
            now=now,
            admission_context=admission_context,
            decision=decision,
            allowed_sessions=allowed_sessions,
        )
    except IntegrityError:
        # A concurrent request with the same nonce committed first: its writes stand, ours were
        # rolled back, and the volunteer sees its answer.
        previous = stored_answer(token, nonce)
        if previous is None:
            raise
        return previous
    if offer_group and (group := group_panel(ticket, decision, context.session_id)) is not None:
        answer = {**answer, "group": group}
    if context.exit_scans_enabled and answer["status"] in MOVEMENT_STATUSES:
        # Where people go out and back in, each movement answers with who is inside now.
        answer = {**answer, "inside_now": inside_now(session_id=context.session_id)}
    return answer


@dataclass(frozen=True, slots=True)
class ScanAsked:
    """A door request read and decided: its cleaned input, the scan's one read, and the
    admission rule's answer about the ticket its text names."""

    text: str
    gate: str
    context: ScanContext
    ticket: DoorTicket | None
    by_short_code: bool
    admission_context: AdmissionContext
    allowed_sessions: list
    decision: Decision
    now: datetime.datetime


def scan_asked(
    *, token: DoorToken, text: str, session_id: int, nonce: uuid.UUID, gate: str, direction: str
) -> ScanAsked:
    """Read and decide a scan (or a group admission's scanned ticket). Raises for a request
    refused as a whole: an unknown direction or session, door access ended, exits not scanned."""
    gate = door_input(gate, 60)
    text = door_input(text, MAX_TEXT_LENGTH + 1)  # one over the limit still reads as "too long"
    if direction not in (DoorAction.ENTRY, DoorAction.EXIT):
        raise ApplicationError(_("Unknown scan direction."), code="invalid")
    context, ticket, by_short_code = scan_reads(
        token_id=token.pk, session_id=session_id, nonce=nonce, text=text
    )
    if context.session_id is None and context.token_active:
        raise NotFound(_("Unknown session."))
    now = timezone.now()
    admission_context, allowed_sessions = _admission_context(context, ticket, direction, now)
    decision = admission_decide(admission_context)
    request_refused(decision, token)
    return ScanAsked(
        text,
        gate,
        context,
        ticket,
        by_short_code,
        admission_context,
        allowed_sessions,
        decision,
        now,
    )


def request_refused(decision: Decision, token: DoorToken) -> None:
    """Raise the error of a decision that refuses the request itself (no scan log row)."""
    if decision.status == ACCESS_ENDED:
        # Revoked or expired since this process last read it (ScanTokenAuth recalls tokens).
        door_token_forget(token)
        raise ApplicationError(
            _("This door token is not valid (revoked or expired). Ask your organizer."),
            code="unauthenticated",
            status=401,
        )
    if decision.status == EXITS_DISABLED:
        raise ApplicationError(
            _("This event does not scan people out."), code="exit_scans_disabled"
        )


def _single_statement():
    # One INSERT in autocommit is atomic by itself (no BEGIN/COMMIT round trips); inside a
    # caller's transaction it needs a savepoint so that a refused row leaves it usable.
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _admission_context(
    context: ScanContext, ticket: DoorTicket | None, direction: str, now
) -> tuple[AdmissionContext, list]:
    """What admission_decide() needs, from the scan's one read (and, for a ticket restricted to
    some sessions only, the read of those sessions). The previous movement is the one the read
    saw: exits and re-entries read it again under the ticket's lock."""
    if context.session_id is None:  # a revoked token's scan of an unknown session: refused
        return AdmissionContext(token_active=context.token_active, window_open=False), []
    opens, closes = window_of(
        context.date,
        context.start_time,
        context.end_time,
        opens_minutes_before=context.opens_minutes_before,
        closes_minutes_after=context.closes_minutes_after,
    )
    session_allowed, same_day, allowed_sessions = restrictions(
        ticket, session_id=context.session_id, date=context.date
    )
    found = ticket is not None
    return AdmissionContext(
        action=direction,
        token_active=context.token_active,
        token_allowed=context.token_allowed,
        replayed=context.stored_answer is not None,
        exits_enabled=context.exit_scans_enabled,
        window_open=opens <= now <= closes,
        ticket_found=found,
        same_event=found and ticket.event_id == context.event_id,
        ticket_status=ticket.status if found else "",
        session_allowed=session_allowed,
        allowed_same_day=same_day,
        previous=ADMITTED if found and ticket.admission is not None else NO_ADMISSION,
        group_size=ticket.group_size if found else 1,
    ), allowed_sessions


def _scan_answered(
    scan: _Scan,
    ticket: DoorTicket | None,
    *,
    source: str,
    now,
    admission_context: AdmissionContext,
    decision: Decision,
    allowed_sessions: list,
) -> dict:
    context = scan.context
    if decision.write == WRITE_NOTHING and decision.status not in MOVEMENT_STATUSES:
        # The ticket is read with the context; a token refused, or a door closed, is told nothing
        # of it, and the scan log keeps no link to it (only the cut text, so no secret lands in
        # the log).
        read = ticket
        if decision.status in (ScanStatus.NOT_ALLOWED, ScanStatus.SESSION_NOT_OPEN):
            ticket = None
        closed = ""
        if decision.status == ScanStatus.SESSION_NOT_OPEN:
            window = window_of(
                context.date,
                context.start_time,
                context.end_time,
                opens_minutes_before=context.opens_minutes_before,
                closes_minutes_after=context.closes_minutes_after,
            )
            closed = closed_message(window, now)
        refusal = refusal_answer(
            decision,
            ticket,
            token_id=scan.token.pk,
            allowed_sessions=allowed_sessions,
            closed=closed,
        )
        with _single_statement():
            scan.log(refusal, ticket=ticket, admission=None, text_of=read)
        return refusal
    if needs_locked_movement(admission_context, decision):
        with transaction.atomic():
            response, admission = _movement(scan, ticket, admission_context, source, now)
            scan.log(response, ticket=ticket, admission=admission)
        return response
    if decision.write == WRITE_ADMIT:
        return scan.admit_and_log(ticket, source=source, now=now)
    response = already_admitted(ticket, ticket.admission)
    with _single_statement():
        scan.log(response, ticket=ticket, admission=ticket.admission)
    return response


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


def _movement(
    scan: _Scan, ticket: DoorTicket, admission_context: AdmissionContext, source: str, now
) -> tuple[dict, Admission | None]:
    """An exit, or an entry of someone admitted before (exit scans on): decided again with the
    ticket's last movement, read under its lock. Still one attendance for the session."""
    session_id = scan.context.session_id
    _lock_movements(ticket)
    existing = active_admission(ticket_id=ticket.id, session_id=session_id)
    if existing is None:  # never admitted, or undone since it was read
        previous = NO_ADMISSION
    else:
        last = _last_movement(ticket, session_id)
        previous = {ScanStatus.ADMITTED: ADMITTED, ScanStatus.EXITED: EXITED}.get(last, RECORDED)
    decision = admission_decide(replace(admission_context, previous=previous))
    if decision.write == WRITE_ADMIT:
        return scan.admit(ticket, source=source, now=now)
    if decision.write == WRITE_REENTER:
        message = _("Welcome back, %(name)s!") % {"name": ticket.first_name}
        return scan_answer(
            ScanStatus.ADMITTED, message, attendee=attendee_summary(ticket)
        ), existing
    if decision.write == WRITE_EXIT:
        message = _("Goodbye, %(name)s!") % {"name": ticket.first_name}
        return scan_answer(ScanStatus.EXITED, message, attendee=attendee_summary(ticket)), existing
    if decision.status == ScanStatus.ALREADY_ADMITTED:
        return already_admitted(ticket, existing), existing
    return refusal_answer(decision, ticket, token_id=scan.token.pk), None
