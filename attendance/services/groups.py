"""Admitting several members of a household or a class in one action at the door.

A volunteer scans one ticket of the group; the answer lists the group's members (services/scans.py,
`group`), the volunteer admits all of them or chooses who is here, and the scanner sends the
scanned text again with the chosen members' tickets. The rule is admission.py's group_decide():
the scanned ticket must be a good key to its group (door open, token allowed, a ticket of this
event), then each chosen member is scanned on their own ticket, through checkin_scan, so each is
decided, logged and counted (with their own demographics) exactly as a scan of their ticket.

Guarantees:
- exactly once per member and session, whatever the number of phones choosing them at the same
  moment: the one-admission constraint, as for any scan; the members are scanned in ticket order,
  so two phones choosing overlapping members wait for each other instead of deadlocking;
- the chosen members are admitted in one transaction: all of them, or (an error) none;
- once per nonce: each member's scan is answered once per token and a nonce derived from the
  group's, so a retry of the same request replays every member's answer and writes nothing."""

import datetime
import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError

from ..models import DoorAction, DoorToken
from ..scan_reads import group_members
from ..selectors import inside_now
from .admission import REPLAY, group_decide, group_opened
from .scans import _Scan, _scan_answered, checkin_scan, scan_asked

MAX_GROUP_MEMBERS = 100


def member_nonce(nonce: uuid.UUID, ticket_id: int) -> uuid.UUID:
    """The nonce of one member's scan within a group admission: the same for every retry."""
    return uuid.uuid5(nonce, str(ticket_id))


def _message(status: str, admitted: int, members: list[dict]) -> str:
    if status == "admitted":
        return ngettext(
            "Welcome! %(count)d person of the group admitted.",
            "Welcome! %(count)d people of the group admitted.",
            admitted,
        ) % {"count": admitted}
    if status == "exited":
        left = sum(1 for member in members if member["status"] == "exited")
        return ngettext(
            "Goodbye! %(count)d person of the group left.",
            "Goodbye! %(count)d people of the group left.",
            left,
        ) % {"count": left}
    if status == "already_admitted":
        return _("Everyone chosen is already inside.")
    # Nobody moved: the first member's own reason says why.
    reason = next(member["message"] for member in members if member["status"] == status)
    return _("Nobody admitted: %(reason)s") % {"reason": reason}


def checkin_group_admit(
    *,
    token: DoorToken,
    text: str,
    session_id: int,
    ticket_ids: list[int],
    nonce: uuid.UUID,
    gate: str = "",
    client_time: datetime.datetime | None = None,
    direction: str = DoorAction.ENTRY,
) -> dict:
    """Admit (or scan out) the chosen members of the group whose ticket `text` names. Returns the
    group's answer: status, message, how many were admitted, and each member's scan answer."""
    chosen = list(dict.fromkeys(ticket_ids))
    if not chosen or len(chosen) > MAX_GROUP_MEMBERS:
        raise ApplicationError(
            _("Choose between 1 and %(limit)s members of the group.")
            % {"limit": MAX_GROUP_MEMBERS},
            code="invalid",
            status=422,
        )
    asked = scan_asked(
        token=token, text=text, session_id=session_id, nonce=nonce, gate=gate, direction=direction
    )
    context, scanned, decision = asked.context, asked.ticket, asked.decision
    if decision.status == REPLAY:
        # Only a refusal of the whole group is answered under the group's own nonce.
        stored = context.stored_answer
        return _group_answer(stored["status"], stored["message"], 0, [])
    if not group_opened(decision):
        scan = _Scan(token, context, asked.text, asked.gate, nonce, client_time, direction)
        refusal = _scan_answered(
            scan,
            scanned,
            source="",
            now=asked.now,
            admission_context=asked.admission_context,
            decision=decision,
            allowed_sessions=asked.allowed_sessions,
        )
        outcome = group_decide(decision, [refusal["status"]] * len(chosen))
        return _group_answer(outcome.status, refusal["message"], 0, [])
    secrets = {
        member.ticket_id: member.secret
        for member in group_members(ticket_id=scanned.id, session_id=context.session_id)
    }
    if strangers := [ticket_id for ticket_id in chosen if ticket_id not in secrets]:
        raise ApplicationError(
            _("Ticket %(id)s is not a member of this group.") % {"id": strangers[0]},
            code="not_in_group",
            status=422,
        )
    answers = {}
    with transaction.atomic():
        for ticket_id in sorted(chosen):
            answers[ticket_id] = checkin_scan(
                token=token,
                text=secrets[ticket_id],
                session=context.session_id,
                gate=asked.gate,
                nonce=member_nonce(nonce, ticket_id),
                client_time=client_time,
                direction=direction,
                offer_group=False,
            )
    members = [{"ticket_id": ticket_id, **answers[ticket_id]} for ticket_id in chosen]
    outcome = group_decide(decision, [member["status"] for member in members])
    message = _message(outcome.status, outcome.admitted, members)
    answer = _group_answer(outcome.status, message, outcome.admitted, members)
    if context.exit_scans_enabled:
        answer["inside_now"] = inside_now(session_id=context.session_id)
    return answer


def _group_answer(status: str, message: str, admitted: int, members: list[dict]) -> dict:
    return {
        "status": status,
        "message": str(message),
        "admitted": admitted,
        "members": members,
        "inside_now": None,
    }
