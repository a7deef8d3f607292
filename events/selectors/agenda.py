"""The organizer's day: the events an organizer's organisation reaches (core.permissions'
scoping, the same as the API and the admin) that are on today or still to come, today's first."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Case, Prefetch, Q, Value, When

from core.permissions import scope_events
from events.models import Event, EventStatus, Session

from .registrations import AnswerFigures, answer_figures_for_sessions

# An organisation runs a few dozen events a season; a home page longer than this helps nobody.
AGENDA_LIMIT = 60


@dataclass(frozen=True)
class AgendaEntry:
    event: Event
    happening_today: bool
    # The sessions whose door matters now: today's, or else the next one to come.
    door_sessions: list[Session]
    # Who confirmed by reply for the first of those sessions, who cancelled.
    answers: AnswerFigures | None = None


def door_sessions_pick(sessions: list[Session], today: datetime.date) -> list[Session]:
    """Of an event's sessions in order, today's, or else the next one to come."""
    todays = [session for session in sessions if session.date == today]
    if todays:
        return todays
    return [session for session in sessions if session.date > today][:1]


def organizer_agenda(*, user, today: datetime.date) -> list[AgendaEntry]:
    """Four queries whatever the number of events and sessions: events, sessions with venues,
    and the answers' figures of every event's next session at once."""
    events = (
        scope_events(user, Event.objects.exclude(status=EventStatus.CANCELLED))
        .filter(end_date__gte=today)
        .annotate(
            happening_today=Case(
                When(Q(start_date__lte=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("programme")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("venue").order_by())
        )
        .order_by("-happening_today", "start_date", "title", "pk")[:AGENDA_LIMIT]
    )
    entries = [
        AgendaEntry(
            event=event,
            happening_today=event.happening_today,
            door_sessions=door_sessions_pick(
                sorted(event.sessions.all(), key=lambda s: (s.date, s.start_time, s.pk)), today
            ),
        )
        for event in events
    ]
    if not entries:
        return entries
    figures = answer_figures_for_sessions(
        next_sessions={
            entry.event.pk: (entry.door_sessions[0] if entry.door_sessions else None)
            for entry in entries
        }
    )
    return [replace(entry, answers=figures[entry.event.pk]) for entry in entries]


def event_door_sessions(*, event: Event, today: datetime.date) -> list[Session]:
    return door_sessions_pick(list(event.sessions.order_by("date", "start_time", "pk")), today)
