"""Organizer corrections after the fact: undoing an admission and the paper-list fallback."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.permissions import can_manage_event
from core.services import audit_record
from events.models import Session

from ..models import Attendance

MAX_REASON_LENGTH = 300


@transaction.atomic
def attendance_void(*, attendance: Attendance, user, reason: str) -> Attendance:
    """Undo an admission: the row stays, marked void with who and why, and the audit trail says so.
    The ticket can then be admitted again."""
    if not can_manage_event(user, attendance.event):
        raise PermissionDenied(_("You do not organize this event."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why this admission is undone."),
            code="invalid",
            field_errors={"reason": [_("This field is required.")]},
        )
    attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if attendance.voided_at is not None:
        raise ApplicationError(
            _("This admission was already undone."), code="already_voided", status=409
        )
    attendance.voided_at = timezone.now()
    attendance.void_reason = reason[:MAX_REASON_LENGTH]
    attendance.voided_by = user
    attendance.save(update_fields=["voided_at", "void_reason", "voided_by"])
    audit_record(
        actor=user,
        action="attendance.void",
        target=attendance,
        detail={
            "session": attendance.session_id,
            "ticket": attendance.ticket_id,
            "headcount": attendance.headcount,
            "reason": attendance.void_reason,
        },
    )
    return attendance


@transaction.atomic
def paper_admissions_record(*, session: Session, ticket_ids, user) -> int:
    """Mark the people ticked on the printed list as attended. Tickets already admitted, cancelled
    or not for this session are skipped; returns how many were admitted."""
    if not can_manage_event(user, session.event):
        raise PermissionDenied(_("You do not organize this event."))
    from ..selectors import paper_list_tickets

    eligible = {ticket.pk: ticket for ticket in paper_list_tickets(session=session)}
    label = user.get_full_name() or user.get_username()
    now = timezone.now()
    admitted = 0
    for ticket_id in dict.fromkeys(ticket_ids):
        ticket = eligible.get(ticket_id)
        if ticket is None:
            continue
        attendee = ticket.attendee
        try:
            with transaction.atomic():
                Attendance.objects.create(
                    event_id=session.event_id,
                    session=session,
                    ticket=ticket,
                    source=Attendance.Source.PAPER,
                    gender=attendee.gender,
                    age_band=attendee.age_band,
                    profile=attendee.profile,
                    headcount=1,
                    recorded_at=now,
                    recorded_by=user,
                    recorded_by_label=label,
                )
        except IntegrityError:
            continue  # admitted at the door in the meantime: counted once already
        admitted += 1
    if admitted:
        audit_record(
            actor=user,
            action="attendance.paper_list",
            target=session,
            detail={"admitted": admitted},
        )
    return admitted
