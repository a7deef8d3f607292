"""Uploading what an offline scanner recorded: admissions and walk-ins validated on the device
against its offline pack, queued with nonces and device times, sent in batches when the network
returns.

The server applies the same rules as online scans (token scope, check-in window, ticket status,
one admission per ticket per session), with two differences that belong to being offline:
- the moment that counts is the device's time (never later than the server's now): the window is
  checked at that moment and the attendance is recorded at it, so figures by hour stay true;
- what the device could not know is reported as a conflict (`SyncConflict`), never as a second
  attendance: the ticket was admitted elsewhere meanwhile, or cancelled or re-issued after the
  device's last download.

Every item is answered once per token and nonce (the scan log row stores the answer), so replaying
a batch, or the rest of a half-uploaded one, writes nothing twice. The whole batch is validated
before anything is written, and written in one transaction."""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from events.models import Session
from participants.models import Participant, ParticipantCard

from ..models import (
    Attendance,
    DoorAction,
    DoorToken,
    OfflinePackKey,
    ScanAttempt,
    ScanStatus,
    SyncConflict,
)
from ..offline_format import HASH_BYTES
from ..scan_reads import DoorTicket, active_admission, door_ticket, door_tickets
from .admission import (
    ADMITTED,
    WRITE_ADMIT,
    WRITE_KNOWN_WALK_IN,
    AdmissionContext,
    admission_decide,
)
from .counted import MAX_GROUP_SIZE, CountedGroup, walk_in_record
from .counted import _validated as counted_groups_validated
from .door import answer_once, session_not_open_message, token_may_use
from .door_cards import EventFull, held_ticket, known_walk_in_register, known_walk_ins_accepted
from .offline_keys import secret_hash
from .scans import (
    admit,
    already_admitted,
    loggable_text,
    refusal_answer,
    restrictions,
    scan_answer,
)

MAX_SYNC_ITEMS = 500
# What the device showed the volunteer. Only "admitted" can become an attendance; the others are
# logged so the scan log holds the refusals made offline too.
OFFLINE_STATUSES = (
    ScanStatus.ADMITTED,
    ScanStatus.ALREADY_ADMITTED,
    ScanStatus.UNKNOWN_TICKET,
    ScanStatus.CANCELLED,
    ScanStatus.WRONG_SESSION,
    ScanStatus.NOT_VALID_TODAY,
    ScanStatus.SESSION_NOT_OPEN,
)


def legacy_secret_hash(secret: str) -> str:
    """How packs named a ticket before they were salted: SHA-256 of the QR secret. Still
    accepted at sync so that scans queued on a device holding such a pack upload cleanly."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class OfflineScan:
    nonce: uuid.UUID
    session_id: int
    device_time: datetime.datetime
    local_status: str = ScanStatus.ADMITTED
    # The pack's ticket (id + secret hash as downloaded, salted by the pack) when the device recognised it; the
    # scanned text when it did not (logged, truncated, like any scan).
    ticket_id: int | None = None
    ticket_hash: str = ""
    text: str = ""
    gate: str = ""
    device_id: str = ""


@dataclass(frozen=True)
class OfflineKnownWalkIn:
    """A participant card with no ticket behind it, admitted offline as a known walk-in: the
    card's id and its secret hash as the device's pack named it."""

    nonce: uuid.UUID
    session_id: int
    device_time: datetime.datetime
    card_id: int
    card_hash: str
    gate: str = ""
    device_id: str = ""


@dataclass(frozen=True)
class OfflineWalkIn:
    nonce: uuid.UUID
    session_id: int
    device_time: datetime.datetime
    groups: list[CountedGroup] = field(default_factory=list)
    gate: str = ""
    device_id: str = ""


def _invalid(message: str, index: int) -> ApplicationError:
    return ApplicationError(
        _("Item %(n)s: %(problem)s") % {"n": index + 1, "problem": message},
        code="invalid_batch",
        status=422,
        field_errors={"items": [str(index)]},
    )


def _validated_batch(
    items: list,
) -> tuple[dict[int, Session], dict[int, DoorTicket], dict[int, list[str]]]:
    """Check the whole batch before writing anything: a malformed item rejects the batch."""
    if not items:
        raise ApplicationError(_("The batch is empty."), code="invalid_batch", status=422)
    if len(items) > MAX_SYNC_ITEMS:
        raise ApplicationError(
            _("At most %(limit)s items per batch: send the rest in another batch.")
            % {"limit": MAX_SYNC_ITEMS},
            code="batch_too_large",
            status=413,
        )
    seen = set()
    for index, item in enumerate(items):
        if item.nonce in seen:
            raise _invalid(_("the same nonce appears twice in the batch."), index)
        seen.add(item.nonce)
        if item.device_time.tzinfo is None:
            raise _invalid(_("the device time needs a time zone."), index)
        if isinstance(item, OfflineScan):
            if item.local_status not in OFFLINE_STATUSES:
                raise _invalid(_("unknown offline status."), index)
            if item.ticket_id is None and not item.text.strip():
                raise _invalid(_("a scan needs a ticket or the scanned text."), index)
            if item.ticket_id is not None and not item.ticket_hash:
                raise _invalid(_("a ticket from the offline pack needs its hash."), index)
        elif isinstance(item, OfflineKnownWalkIn):
            if not item.card_hash:
                raise _invalid(_("a card from the offline pack needs its hash."), index)
        else:
            try:
                counted_groups_validated(item.groups, limit=MAX_GROUP_SIZE)
            except ApplicationError as error:
                raise _invalid(str(error.message), index) from error
    session_ids = {item.session_id for item in items}
    # The door settings come along: every item checks its session's window with them.
    sessions = Session.objects.select_related("event", "event__door_settings").in_bulk(session_ids)
    for index, item in enumerate(items):
        if item.session_id not in sessions:
            raise _invalid(_("unknown session."), index)
    ticket_ids = {item.ticket_id for item in items if getattr(item, "ticket_id", None)}
    tickets = door_tickets(ticket_ids)
    # Every pack generation of the tickets' events: a queued scan names its ticket with the salt
    # of the pack the device held, which may be older than the current one.
    salts: dict[int, list[str]] = {}
    event_ids = {ticket.event_id for ticket in tickets.values()}
    event_ids |= {
        sessions[item.session_id].event_id for item in items if isinstance(item, OfflineKnownWalkIn)
    }
    if event_ids:
        for event_id, salt in OfflinePackKey.objects.filter(event_id__in=event_ids).values_list(
            "event_id", "salt"
        ):
            salts.setdefault(event_id, []).append(salt)
    return sessions, tickets, salts


def checkin_sync(
    *, token: DoorToken, items: list[OfflineScan | OfflineWalkIn | OfflineKnownWalkIn]
) -> list[dict]:
    """Record a batch from an offline scanner. Returns one answer per item, in order."""
    sessions, tickets, salts = _validated_batch(items)
    answers = {}
    # Tickets in one order for every upload: two devices syncing the same tickets then wait for
    # each other instead of deadlocking on the one-admission constraint.
    in_lock_order = sorted(
        items, key=lambda item: (item.session_id, getattr(item, "ticket_id", None) or 0)
    )
    with transaction.atomic():
        for item in in_lock_order:
            session = sessions[item.session_id]
            if isinstance(item, OfflineScan):
                answer = _sync_scan(
                    token=token,
                    item=item,
                    session=session,
                    tickets=tickets,
                    salts=salts,
                )
            elif isinstance(item, OfflineKnownWalkIn):
                answer = _sync_known_walk_in(token=token, item=item, session=session, salts=salts)
            else:
                answer = _sync_walk_in(token=token, item=item, session=session)
            answers[item.nonce] = {"nonce": str(item.nonce), **answer}
    return [answers[item.nonce] for item in items]


def _moment(device_time: datetime.datetime) -> datetime.datetime:
    # A device clock ahead of the server must not record people in the future.
    return min(device_time, timezone.now())


def _sync_walk_in(*, token, item: OfflineWalkIn, session) -> dict:
    answer = walk_in_record(
        token=token,
        session=session,
        groups=item.groups,
        gate=item.gate,
        nonce=item.nonce,
        client_time=item.device_time,
        counted_at=_moment(item.device_time),
    )
    return {"kind": "walk_in", "conflict": None, **answer}


def _secret_matches(ticket: DoorTicket, ticket_hash: str, salts: dict[int, list[str]]) -> bool:
    """Whether the hash the device sent names the ticket's current secret (else it was
    re-issued after the download). The device sends the full hash of a scanned QR code, or the
    cut one its pack holds (offline_format.py), never shorter than the pack cuts them."""
    if len(ticket_hash) < 2 * HASH_BYTES:
        return False
    if legacy_secret_hash(ticket.secret).startswith(ticket_hash):
        return True
    return any(
        secret_hash(secret=ticket.secret, salt=salt).startswith(ticket_hash)
        for salt in salts.get(ticket.event_id, [])
    )


def _sync_scan(*, token, item: OfflineScan, session, tickets, salts) -> dict:
    outcome = {"conflict": None, "kept": None}

    def conflict(kind, kept=None):
        outcome["conflict"], outcome["kept"] = kind, kept

    def evaluate():
        at = _moment(item.device_time)
        admission = None
        if item.ticket_id is not None:
            ticket = tickets.get(item.ticket_id)
        else:
            ticket, _by_short_code = door_ticket(item.text, session.pk)
        closed = session_not_open_message(session, at)
        session_allowed, same_day, allowed_sessions = restrictions(
            ticket, session_id=session.pk, date=session.date
        )
        found = ticket is not None
        # An offline item is an entry: the device knows nothing of exits, so a ticket admitted
        # before is a double admission, never a re-entry.
        context = AdmissionContext(
            token_allowed=token_may_use(token, session),
            window_open=closed is None,
            offline_refusal=None
            if item.local_status == ScanStatus.ADMITTED
            else str(item.local_status),
            ticket_found=found,
            reissued=found
            and bool(item.ticket_hash)
            and not _secret_matches(ticket, item.ticket_hash, salts),
            same_event=found and ticket.event_id == session.event_id,
            ticket_status=ticket.status if found else "",
            session_allowed=session_allowed,
            allowed_same_day=same_day,
            group_size=ticket.group_size if found else 1,
        )
        decision = admission_decide(context)
        existing = None
        if decision.write == WRITE_ADMIT:
            existing = active_admission(ticket_id=ticket.id, session_id=session.pk)
            if existing is not None:
                decision = admission_decide(replace(context, previous=ADMITTED))
        if decision.key == "offline_refusal":
            response = scan_answer(decision.status, _("Refused offline on the device."))
        elif decision.key == "reissued":
            conflict(SyncConflict.Kind.REISSUED)
            response = scan_answer(
                ScanStatus.CANCELLED,
                _("This ticket was re-issued after the last download: the old code is not valid."),
            )
        elif decision.status == ScanStatus.ALREADY_ADMITTED:
            conflict(SyncConflict.Kind.DOUBLE_ADMISSION, existing)
            response, admission = already_admitted(ticket, existing), existing
        elif decision.write == WRITE_ADMIT:
            response, admission = _offline_admit(
                token=token, ticket=ticket, session=session, item=item, at=at
            )
            if response["status"] == ScanStatus.ALREADY_ADMITTED:
                # Another device's upload won the race for this ticket a moment ago.
                conflict(SyncConflict.Kind.DOUBLE_ADMISSION, admission)
        else:
            response = refusal_answer(
                decision,
                ticket,
                token_id=token.pk,
                allowed_sessions=allowed_sessions,
                closed=closed or "",
            )
            if found and decision.status == ScanStatus.CANCELLED:
                conflict(SyncConflict.Kind.CANCELLED)
        response["conflict"] = outcome["conflict"]
        text = loggable_text(item.text, ticket) if item.text else ""
        return response, _entry_log(session, item, response, ticket, admission, text=text)

    return _answered(
        "scan", token=token, item=item, session=session, outcome=outcome, evaluate=evaluate
    )


def _offline_admit(*, token, ticket, session, item, at):
    """Admit as the device did: at its gate, at the moment it scanned, marked as an offline scan."""
    return admit(
        token=token,
        ticket=ticket,
        session_id=session.pk,
        event_id=session.event_id,
        gate=item.gate,
        source=Attendance.Source.OFFLINE,
        now=at,
    )


def _entry_log(session, item, response, ticket, admission, *, text: str) -> dict:
    """The scan-log row of an uploaded entry, whatever its kind."""
    return {
        "event_id": session.event_id,
        "session": session,
        "action": DoorAction.ENTRY,
        "status": response["status"],
        "text": text,
        "gate": item.gate,
        "client_time": item.device_time,
        "ticket_id": ticket.id if ticket else None,
        "attendance_id": admission.id if admission else None,
    }


def _answered(kind: str, *, token, item, session, outcome, evaluate) -> dict:
    """Once per token and nonce (a replay gets the stored answer); a conflict is recorded only
    by the upload that produced it."""
    answer = answer_once(token=token, nonce=item.nonce, evaluate=evaluate)
    if outcome["conflict"] and answer.get("conflict"):
        _conflict_record(token=token, item=item, session=session, outcome=outcome)
    return {"kind": kind, "headcount": None, **answer}


def _sync_known_walk_in(*, token, item: OfflineKnownWalkIn, session, salts) -> dict:
    """A known walk-in admitted offline: registered and admitted here through the online path's
    own service (known_walk_in_register, under the participant's lock), so one registration per
    participant and event whatever the number of devices or uploads; once per nonce
    (answer_once). The card must still be the one the device's pack named: a card revoked or
    reissued since the download registers nobody and is reported as a conflict, as a ticket
    cancelled meanwhile is: the person was let in on the device's word, the organizer decides."""
    outcome = {"conflict": None, "kept": None}

    def evaluate():
        at = _moment(item.device_time)
        card = (
            ParticipantCard.objects.select_related("participant")
            .filter(pk=item.card_id, participant__organization_id=session.event.organizer_id)
            .first()
        )
        named = card is not None and any(
            item.card_hash == secret_hash(secret=card.secret, salt=salt)
            for salt in salts.get(session.event_id, [])
        )
        closed = session_not_open_message(session, at)
        context = AdmissionContext(
            token_allowed=token_may_use(token, session),
            window_open=closed is None,
            ticket_found=False,
            card_found=named,
            known_walk_ins=known_walk_ins_accepted(session.event_id),
        )
        decision = admission_decide(context)
        ticket = admission = None
        if decision.write == WRITE_KNOWN_WALK_IN and card.status != ParticipantCard.Status.ACTIVE:
            outcome["conflict"] = SyncConflict.Kind.CARD_REVOKED
            response = scan_answer(
                ScanStatus.CANCELLED,
                _("This participant card was revoked after the last download: not registered."),
            )
        elif decision.write == WRITE_KNOWN_WALK_IN:
            response, ticket, admission = _known_walk_in_admit(
                token=token, item=item, session=session, card=card, at=at
            )
            if response["status"] == ScanStatus.ALREADY_ADMITTED:
                outcome["conflict"], outcome["kept"] = SyncConflict.Kind.DOUBLE_ADMISSION, admission
        elif decision.status == ScanStatus.SESSION_NOT_OPEN:
            response = scan_answer(decision.status, closed)
        elif decision.status == ScanStatus.NOT_ALLOWED:
            response = scan_answer(decision.status, _("This door token does not cover the event."))
        else:
            response = scan_answer(
                ScanStatus.UNKNOWN_TICKET,
                _("Known participant without a ticket: this event does not admit walk-ins.")
                if named
                else _("Unknown participant card."),
            )
        response["conflict"] = outcome["conflict"]
        return response, _entry_log(session, item, response, ticket, admission, text="")

    return _answered(
        "known_walk_in", token=token, item=item, session=session, outcome=outcome, evaluate=evaluate
    )


def _known_walk_in_admit(*, token, item, session, card, at):
    """(answer, ticket, attendance) for a known walk-in: the ticket another upload or an online
    scan already gave them when there is one (then admitted, or reported already admitted),
    else a new registration."""
    participant_id = card.participant.canonical_id
    participant = Participant.objects.select_for_update().get(pk=participant_id)
    ticket = held_ticket(
        participant_id=participant_id, event_id=session.event_id, session_id=session.pk
    )
    if ticket is None:
        try:
            with transaction.atomic():
                ticket = known_walk_in_register(
                    participant=participant, event_id=session.event_id, session_id=session.pk
                )
        except EventFull:
            return (
                scan_answer(
                    ScanStatus.CANCELLED,
                    _("Known participant without a ticket: the event is full."),
                ),
                None,
                None,
            )
    response, admission = _offline_admit(
        token=token, ticket=ticket, session=session, item=item, at=at
    )
    if response["status"] == ScanStatus.ADMITTED:
        response["known_walk_in"] = True
    return response, ticket, admission


def _conflict_record(*, token, item, session, outcome) -> None:
    attempt = ScanAttempt.objects.get(token=token, nonce=item.nonce)
    try:
        with transaction.atomic():
            SyncConflict.objects.get_or_create(
                attempt=attempt,
                defaults={
                    "token": token,
                    "session": session,
                    "ticket_id": attempt.ticket_id,
                    "kind": outcome["conflict"],
                    "kept_attendance_id": outcome["kept"].id if outcome["kept"] else None,
                    "device_id": item.device_id[:64],
                    "device_time": item.device_time,
                    "detected_at": timezone.now(),
                },
            )
    except IntegrityError:
        # A concurrent upload of the same nonce recorded it first.
        pass
