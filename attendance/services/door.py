"""What every door request shares: the check-in window, nonce replay and the scan log row."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import volunteer_may_use_event
from events.models import Event, Session

from ..models import DoorSettings, DoorToken, ScanAttempt

LOGGED_TEXT_LENGTH = 64


def door_settings_for(event) -> DoorSettings:
    """The event's door settings, or unsaved defaults when the organizer never set any."""
    if Event.door_settings.is_cached(event):
        # Loaded with select_related("event__door_settings") (the door API): no second query.
        try:
            return event.door_settings
        except DoorSettings.DoesNotExist:
            return DoorSettings(event=event)
    settings_row = DoorSettings.objects.filter(event=event).first()
    return settings_row or DoorSettings(event=event)


def checkin_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    door = door_settings_for(session.event)
    return window_of(
        session.date,
        session.start_time,
        session.end_time,
        opens_minutes_before=door.opens_minutes_before,
        closes_minutes_after=door.closes_minutes_after,
    )


def window_of(
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    *,
    opens_minutes_before: int,
    closes_minutes_after: int,
) -> tuple[datetime.datetime, datetime.datetime]:
    """When the door of a session on `date` from `start_time` to `end_time` opens and closes."""
    tz = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.datetime.combine(date, start_time), tz)
    ends = timezone.make_aware(datetime.datetime.combine(date, end_time), tz)
    return (
        starts - datetime.timedelta(minutes=opens_minutes_before),
        ends + datetime.timedelta(minutes=closes_minutes_after),
    )


def session_not_open_message(session: Session, now: datetime.datetime) -> str | None:
    """Why the door of `session` is closed at `now`, or None when it is open."""
    return closed_message(checkin_window(session), now)


def closed_message(
    window: tuple[datetime.datetime, datetime.datetime], now: datetime.datetime
) -> str | None:
    """Why a door with this check-in window is closed at `now`, or None when it is open."""
    opens, closes = window
    if opens <= now <= closes:
        return None
    opens, closes = timezone.localtime(opens), timezone.localtime(closes)
    return _("Check-in for this session is open on %(date)s from %(opens)s to %(closes)s.") % {
        "date": opens.strftime("%d/%m/%Y"),
        "opens": opens.strftime("%H:%M"),
        "closes": closes.strftime("%H:%M"),
    }


def token_may_use(token: DoorToken, session: Session) -> bool:
    return volunteer_may_use_event(token, session.event_id)


def stored_answer(token: DoorToken, nonce) -> dict | None:
    attempt = ScanAttempt.objects.filter(token=token, nonce=nonce).only("response").first()
    return attempt.response if attempt else None


def answer_once(*, token: DoorToken, nonce, evaluate) -> dict:
    """Run `evaluate()` (which writes and returns (response, attempt fields)) exactly once per
    token and nonce. A retry, even a concurrent one, gets the first answer and writes nothing."""
    previous = stored_answer(token, nonce)
    if previous is not None:
        return previous
    try:
        with transaction.atomic():
            response, attempt_fields = evaluate()
            ScanAttempt.objects.create(
                token=token,
                nonce=nonce,
                server_time=timezone.now(),
                response=response,
                **attempt_fields,
            )
    except IntegrityError:
        # A concurrent request with the same nonce committed first: its writes stand, ours are
        # rolled back with the savepoint, and the volunteer sees its answer.
        previous = stored_answer(token, nonce)
        if previous is None:
            raise
        return previous
    return response


def truncate_text(text: str) -> str:
    return (text or "")[:LOGGED_TEXT_LENGTH]


def door_input(value: str | None, max_length: int) -> str:
    """Text typed or scanned at the door, made storable: control characters (NUL above all, which
    PostgreSQL refuses in text) become nothing, surrounding blanks go, and length is capped."""
    cleaned = "".join(ch for ch in (value or "") if ch >= " " and ch != "\x7f")
    return cleaned.strip()[:max_length]
