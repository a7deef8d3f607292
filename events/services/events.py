import datetime

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.models import Organization
from core.services import apply_fields
from events import signals
from events.models import Event, EventStatus, Session

from .common import save_validated
from .tickets import waitlist_promote

# The fields an organizer writes, in the order the API and the admin show them (the admin's
# fieldsets are these groups).
EVENT_TEXT_FIELDS = (
    "title",
    "title_ar",
    "title_en",
    "description_fr",
    "description_ar",
    "description_en",
)
EVENT_DATE_FIELDS = (
    "start_date",
    "end_date",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "languages",
    "ask_nationality",
)
EVENT_FIELDS = ("programme", "kind", *EVENT_TEXT_FIELDS, "organizer", *EVENT_DATE_FIELDS)
SESSION_FIELDS = (
    "title",
    "date",
    "start_time",
    "end_time",
    "venue",
    "school_name",
    "class_level",
    "capacity",
)
# Which status may follow which: draft → published → closed, and cancelled from draft/published.
TRANSITIONS = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {EventStatus.CLOSED, EventStatus.CANCELLED, EventStatus.DRAFT},
    EventStatus.CLOSED: set(),
    EventStatus.CANCELLED: set(),
}
STATUS_SIGNALS = {
    EventStatus.CANCELLED: signals.event_cancelled,
    EventStatus.CLOSED: signals.event_closed,
}


@transaction.atomic
@transaction.atomic
def event_create(
    *,
    co_organizers: list[Organization] | None = None,
    sessions: list[dict] = (),
    **fields,
) -> Event:
    """An event with its co-organisers and sessions (field dicts), all or nothing."""
    event = Event()
    apply_fields(event, fields, EVENT_FIELDS)
    save_validated(event)
    event.co_organizers.set(co_organizers or [])
    for session in sessions:
        session_create(event=event, **session)
    return event


@transaction.atomic
def event_update(
    *, event: Event, data: dict, co_organizers: list[Organization] | None = None
) -> Event:
    if event.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
        raise ApplicationError(
            _("A closed or cancelled event cannot be changed."), code="event_locked", status=409
        )
    apply_fields(event, data, EVENT_FIELDS)
    save_validated(event)
    _check_sessions_still_fit(event)
    if co_organizers is not None:
        event.co_organizers.set(co_organizers)
    if "capacity" in data:
        # More places (or no limit any more): the waiting list gets them straight away.
        waitlist_promote(event=event)
    return event


def _check_sessions_still_fit(event: Event) -> None:
    outside = event.sessions.exclude(date__range=(event.start_date, event.end_date))
    if outside.exists():
        raise ApplicationError(
            _("Some sessions would fall outside the new dates; move them first."),
            code="sessions_outside_event",
            field_errors={"start_date": [_("Sessions fall outside these dates.")]},
        )


@transaction.atomic
def event_set_status(*, event: Event, status: str) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if status == event.status:
        return event
    if status not in TRANSITIONS[EventStatus(event.status)]:
        raise ApplicationError(
            _("An event cannot go from %(old)s to %(new)s.")
            % {"old": event.get_status_display(), "new": EventStatus(status).label},
            code="invalid_transition",
            status=409,
        )
    if status == EventStatus.PUBLISHED and not event.sessions.exists():
        raise ApplicationError(
            _("Add at least one session before publishing."), code="no_sessions", status=409
        )
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    signal = STATUS_SIGNALS.get(status)
    if signal is not None:
        event_id = event.pk
        transaction.on_commit(lambda: signal.send(sender=Event, event_id=event_id))
    return event


def event_publish(*, event: Event) -> Event:
    return event_set_status(event=event, status=EventStatus.PUBLISHED)


def event_close(*, event: Event) -> Event:
    return event_set_status(event=event, status=EventStatus.CLOSED)


def event_cancel(*, event: Event) -> Event:
    return event_set_status(event=event, status=EventStatus.CANCELLED)


@transaction.atomic
def event_duplicate(*, event: Event, start_date: datetime.date | None = None) -> Event:
    """A draft copy with its sessions, shifted so that it starts on `start_date` (default: same)."""
    shift = (start_date - event.start_date) if start_date else datetime.timedelta(0)
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.status = EventStatus.DRAFT
    copy.title = _("%(title)s (copy)") % {"title": event.title}
    copy.start_date = event.start_date + shift
    copy.end_date = event.end_date + shift
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(event, name)
        setattr(copy, name, value + shift if value else None)
    save_validated(copy)
    copy.co_organizers.set(event.co_organizers.all())
    for session in event.sessions.all():
        session.pk = None
        session.id = None
        session.event = copy
        session.date = session.date + shift
        save_validated(session)
    return copy


def session_create(*, event: Event, **fields) -> Session:
    session = Session(event=event)
    apply_fields(session, fields, SESSION_FIELDS)
    return save_validated(session)


@transaction.atomic
def session_update(*, session: Session, data: dict) -> Session:
    before = (session.date, session.start_time, session.end_time)
    apply_fields(session, data, SESSION_FIELDS)
    save_validated(session)
    if "capacity" in data:
        waitlist_promote(event=session.event)
    if (session.date, session.start_time, session.end_time) != before:
        event_id, session_id = session.event_id, session.pk
        transaction.on_commit(
            lambda: signals.sessions_rescheduled.send(
                sender=Session, event_id=event_id, session_ids=[session_id]
            )
        )
    return session


def session_delete(*, session: Session) -> None:
    try:
        with transaction.atomic():
            session.delete()
    except ProtectedError as exc:
        raise ApplicationError(
            _("This session already has attendance records and cannot be deleted."),
            code="session_has_attendance",
            status=409,
        ) from exc
