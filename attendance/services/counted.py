"""People counted without a ticket: walk-ins at the door and class headcounts in schools."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError, PermissionDenied
from core.permissions import can_manage_event
from events.models import Session

from ..models import Attendance, DoorAction, DoorToken, ScanStatus
from .door import answer_once, door_input, session_not_open_message, token_may_use

MAX_GROUP_SIZE = 200
MAX_CLASS_SIZE = 500


@dataclass(frozen=True)
class CountedGroup:
    gender: str
    age_band: str
    profile: str
    count: int


def _validated(groups: list[CountedGroup], *, limit: int) -> list[CountedGroup]:
    errors = []
    for index, group in enumerate(groups):
        if group.gender not in Gender.values:
            errors.append(_("Line %(n)s: unknown gender.") % {"n": index + 1})
        if group.age_band not in AgeBand.values:
            errors.append(_("Line %(n)s: unknown age band.") % {"n": index + 1})
        if group.profile not in Profile.values:
            errors.append(_("Line %(n)s: unknown profile.") % {"n": index + 1})
        if not isinstance(group.count, int) or group.count < 0:
            errors.append(
                _("Line %(n)s: the number of people must be zero or more.") % {"n": index + 1}
            )
    if errors:
        raise ApplicationError(" ".join(errors), code="invalid", field_errors={"groups": errors})
    kept = [group for group in groups if group.count > 0]
    total = sum(group.count for group in kept)
    if total == 0:
        raise ApplicationError(_("Count at least one person."), code="invalid")
    if total > limit:
        raise ApplicationError(
            _("At most %(limit)s people at once.") % {"limit": limit}, code="invalid"
        )
    return kept


def _create_rows(*, session, groups, source, gate, label, token=None, user=None, now) -> int:
    Attendance.objects.bulk_create(
        Attendance(
            event_id=session.event_id,
            session=session,
            source=source,
            gender=group.gender,
            age_band=group.age_band,
            profile=group.profile,
            headcount=group.count,
            gate=gate,
            recorded_at=now,
            recorded_by=user,
            recorded_by_label=label,
            door_token=token,
        )
        for group in groups
    )
    return sum(group.count for group in groups)


def walk_in_record(
    *,
    token: DoorToken,
    session: Session,
    groups: list[CountedGroup],
    gate: str = "",
    nonce: uuid.UUID,
    client_time: datetime.datetime | None = None,
    action: str = DoorAction.WALK_IN,
    counted_at: datetime.datetime | None = None,
) -> dict:
    """Count people without a ticket, from the door (one tap per person or a group with its
    breakdown). A retried request with the same nonce counts nothing twice.

    `counted_at` is when the people came in, for walk-ins counted offline and synced later: the
    check-in window is checked at that moment and the rows are recorded at it. Default: now."""
    gate = door_input(gate, 60)
    limit = MAX_CLASS_SIZE if action == DoorAction.CLASS_TALLY else MAX_GROUP_SIZE
    groups = _validated(groups, limit=limit)
    source = (
        Attendance.Source.CLASS_TALLY
        if action == DoorAction.CLASS_TALLY
        else Attendance.Source.WALK_IN
    )

    def evaluate():
        now = counted_at or timezone.now()
        headcount = 0
        if not token_may_use(token, session):
            response = {
                "status": ScanStatus.NOT_ALLOWED,
                "headcount": 0,
                "message": _("Your door token is not assigned to this event."),
            }
        elif (closed := session_not_open_message(session, now)) is not None:
            response = {"status": ScanStatus.SESSION_NOT_OPEN, "headcount": 0, "message": closed}
        else:
            headcount = _create_rows(
                session=session,
                groups=groups,
                source=source,
                gate=gate,
                label=token.label,
                token=token,
                now=now,
            )
            response = {
                "status": ScanStatus.RECORDED,
                "headcount": headcount,
                "message": ngettext(
                    "%(count)s person counted. Thank you!",
                    "%(count)s people counted. Thank you!",
                    headcount,
                )
                % {"count": headcount},
            }
        response["message"] = str(response["message"])
        fields = {
            "event_id": session.event_id,
            "session": session,
            "action": action,
            "status": response["status"],
            "gate": gate,
            "client_time": client_time,
            "text": "",
        }
        return response, fields

    with transaction.atomic():
        return answer_once(token=token, nonce=nonce, evaluate=evaluate)


@transaction.atomic
def class_tally_record(*, session: Session, groups: list[CountedGroup], user) -> int:
    """An organizer's class headcount (after a school session): one row per demographic cell."""
    if not can_manage_event(user, session.event):
        raise PermissionDenied(_("You do not organize this event."))
    groups = _validated(groups, limit=MAX_CLASS_SIZE)
    return _create_rows(
        session=session,
        groups=groups,
        source=Attendance.Source.CLASS_TALLY,
        gate="",
        label=user.get_full_name() or user.get_username(),
        user=user,
        now=timezone.now(),
    )
