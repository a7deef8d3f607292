"""The door's admission rule, in one pure function: no database, no clock, no translation.

The online scan (services/scans.py), the offline sync (services/sync.py) and the phone
(static/attendance/offline.js, admissionDecide) each gather what they know into a context and ask
the same question; they render the answer and write what it says. The rules and their order live
here only, and admission_vectors.json (beside offline.js) holds the cases both languages must
answer alike (tests/attendance/test_admission_vectors.py, tests/js/admission_vectors.test.js).

Order of the checks, first match wins:
  door access revoked or expired > exit scan where the event does not scan out > nonce already
  answered > token not assigned to the event > refusal made on the device (offline sync) > door
  window closed > ticket re-issued since the device's download (offline sync) > unknown ticket
  (unless a participant card named the person: a known walk-in when the event admits them) >
  ticket of another event > cancelled > waiting list > restricted to other sessions (one the same
  day: wrong session, else not valid today) > the movement: exit, first entry, re-entry after an
  exit, already admitted.
The group size and a purged (pseudonymised) registration never change the answer: every member of
a group holds a ticket of their own, and a purged ticket is still the ticket it was (only its
name is gone from the welcome).

A group admission (a household's or a class's members chosen at the door after one of their
tickets was scanned) is group_decide(): the scanned ticket opens its group unless it is refused
before its own status is looked at (door access, door closed, unknown ticket, a participant card,
another event, an old code), which then refuses every member alike; past that, each chosen member
is decided on their own ticket, so a cancelled or already admitted member never holds the others
back, and the group's answer sums the members' up."""

from collections.abc import Sequence
from dataclasses import dataclass

ENTRY = "entry"
EXIT = "exit"

# The ticket's last movement through the door of this session.
NO_ADMISSION = "none"  # no active attendance
ADMITTED = "admitted"  # inside: last door movement an admission
EXITED = "exited"  # admitted earlier, last door movement an exit
RECORDED = "recorded"  # an active attendance with no door movement (recorded by an organizer)

# What the caller writes besides the scan log row, which every answered scan gets.
WRITE_ADMIT = "admit"  # a new attendance
WRITE_REENTER = "reenter"  # a movement back in, linked to the existing attendance
WRITE_EXIT = "exit"  # a movement out, linked to the existing attendance
# An on-the-spot registration of the card's participant, linked to them, and its ticket admitted.
WRITE_KNOWN_WALK_IN = "known_walk_in"
WRITE_NOTHING = "nothing"

# Answers that are not scan statuses: the request itself is refused (no scan log row), or the
# nonce was answered before (the stored answer is given again, nothing is written).
ACCESS_ENDED = "access_ended"
EXITS_DISABLED = "exit_scans_disabled"
REPLAY = "replay"

_STATUS_VALID = "valid"
_STATUS_CANCELLED = "cancelled"
_STATUS_WAITLISTED = "waitlisted"


@dataclass(frozen=True, slots=True)
class AdmissionContext:
    """What the door knows when a ticket is scanned. Every field has the everyday value as its
    default: a valid ticket of this event, scanned in, door open, nothing refused yet."""

    action: str = ENTRY
    token_active: bool = True  # door access neither revoked nor expired
    token_allowed: bool = True  # the door token covers the session's event
    replayed: bool = False  # this token and nonce were answered before
    exits_enabled: bool = False
    window_open: bool = True
    offline_refusal: str | None = None  # the status the device showed, when it refused offline
    ticket_found: bool = True
    # No ticket of the event, but the text named an active participant card of the organisation
    # (a card whose person holds a ticket is decided on that ticket instead).
    card_found: bool = False
    known_walk_ins: bool = True  # the event admits known participants without a ticket
    reissued: bool = False  # the device named the ticket by a secret it no longer has
    same_event: bool = True  # the ticket's event is the session's
    ticket_status: str = _STATUS_VALID  # valid, cancelled, waitlisted
    purged: bool = False
    session_allowed: bool = True  # not restricted, or restricted to sessions including this one
    allowed_same_day: bool = False  # restricted to another session on the session's date
    previous: str = NO_ADMISSION
    group_size: int = 1


@dataclass(frozen=True, slots=True)
class Decision:
    status: str  # a ScanStatus value, or ACCESS_ENDED, EXITS_DISABLED, REPLAY
    key: str  # which message the caller renders
    write: str = WRITE_NOTHING


def _refused(status: str, key: str | None = None) -> Decision:
    return Decision(status, key or status)


# Built once: the door's hot path returns these without allocating.
_ACCESS_ENDED = _refused(ACCESS_ENDED)
_EXITS_DISABLED = _refused(EXITS_DISABLED)
_REPLAY = _refused(REPLAY)
_NOT_ALLOWED = _refused("not_allowed")
_NOT_OPEN = _refused("session_not_open")
_REISSUED = _refused("cancelled", "reissued")
_UNKNOWN = _refused("unknown_ticket")
_KNOWN_WALK_IN = Decision("admitted", "known_walk_in", WRITE_KNOWN_WALK_IN)
_NO_KNOWN_WALK_INS = _refused("unknown_ticket", "known_walk_ins_off")
_WRONG_EVENT = _refused("wrong_event")
_CANCELLED = _refused("cancelled")
_WAITLISTED = _refused("cancelled", "waitlisted")
_WRONG_SESSION = _refused("wrong_session")
_NOT_VALID_TODAY = _refused("not_valid_today")
_EXITED = Decision("exited", "goodbye", WRITE_EXIT)
_NOT_INSIDE = _refused("not_inside")
_WELCOME = Decision("admitted", "welcome", WRITE_ADMIT)
_WELCOME_BACK = Decision("admitted", "welcome_back", WRITE_REENTER)
_ALREADY = _refused("already_admitted")

MOVEMENT_STATUSES = frozenset({"admitted", "already_admitted", "exited", "not_inside"})


def admission_decide(context: AdmissionContext) -> Decision:
    """Whether the scan admits, and what to answer and write (the module's docstring gives the
    order of the checks)."""
    if not context.token_active:
        return _ACCESS_ENDED
    exiting = context.action == EXIT
    if exiting and not context.exits_enabled:
        return _EXITS_DISABLED
    if context.replayed:
        return _REPLAY
    if not context.token_allowed:
        return _NOT_ALLOWED
    if context.offline_refusal is not None:
        return _refused(context.offline_refusal, "offline_refusal")
    if not context.window_open:
        return _NOT_OPEN
    if not context.ticket_found:
        if context.card_found and not exiting:
            return _KNOWN_WALK_IN if context.known_walk_ins else _NO_KNOWN_WALK_INS
        return _UNKNOWN
    if context.reissued:
        return _REISSUED
    if not context.same_event:
        return _WRONG_EVENT
    if context.ticket_status == _STATUS_CANCELLED:
        return _CANCELLED
    if context.ticket_status == _STATUS_WAITLISTED:
        return _WAITLISTED
    if not context.session_allowed:
        return _WRONG_SESSION if context.allowed_same_day else _NOT_VALID_TODAY
    previous = context.previous
    if exiting:
        return _EXITED if previous == ADMITTED else _NOT_INSIDE
    if previous == NO_ADMISSION:
        return _WELCOME
    if context.exits_enabled and previous == EXITED:
        return _WELCOME_BACK
    return _ALREADY


def needs_locked_movement(context: AdmissionContext, decision: Decision) -> bool:
    """Whether the decision rests on the ticket's last movement (exit scans, re-entries): the
    caller then reads the movement under the ticket's lock and decides again with it."""
    return decision.status in MOVEMENT_STATUSES and (
        context.action == EXIT or (context.exits_enabled and context.previous != NO_ADMISSION)
    )


# The decisions about the scanned ticket itself (its status, sessions and movement): past these
# checks the ticket is a good key to its group, whatever its own answer.
_OPENS_GROUP = frozenset(
    {
        "welcome",
        "welcome_back",
        "goodbye",
        "already_admitted",
        "not_inside",
        "cancelled",
        "waitlisted",
        "wrong_session",
        "not_valid_today",
    }
)


@dataclass(frozen=True, slots=True)
class GroupDecision:
    status: str  # the group's answer: a ScanStatus value, or ACCESS_ENDED, EXITS_DISABLED
    members: tuple[str, ...]  # each chosen member's status, in the order they were chosen
    admitted: int  # members let in by this decision (first entries and re-entries)


def group_opened(scanned: Decision) -> bool:
    """Whether the scanned ticket opens its group, so its members are decided one by one."""
    return scanned.key in _OPENS_GROUP


def group_decide(scanned: Decision, members: Sequence[str]) -> GroupDecision:
    """The answer to a group admission: `scanned` is admission_decide() of the scanned ticket,
    `members` the status each chosen member got from admission_decide() of their own ticket."""
    if not group_opened(scanned):
        # A participant card is no key to a group: only a ticket names its registration.
        status = "unknown_ticket" if scanned.write == WRITE_KNOWN_WALK_IN else scanned.status
        return GroupDecision(status, tuple(status for _member in members), 0)
    admitted = sum(1 for status in members if status == "admitted")
    if admitted:
        status = "admitted"
    elif "exited" in members:
        status = "exited"
    else:
        # Nobody moved: the first answer that is not "already inside" says why, if any does.
        status = next((s for s in members if s != "already_admitted"), "already_admitted")
    return GroupDecision(status, tuple(members), admitted)


def group_admission_decide(
    scanned: AdmissionContext, members: Sequence[AdmissionContext]
) -> GroupDecision:
    """group_decide() on contexts alone: the shared cases (admission_vectors.json) use it."""
    return group_decide(
        admission_decide(scanned), [admission_decide(member).status for member in members]
    )
