from .events import Event, EventKind, EventStatus, Session
from .programmes import Measure, Programme, Target
from .registrations import Attendee, Registration, Ticket
from .venues import Venue

__all__ = [
    "Attendee",
    "Event",
    "EventKind",
    "EventStatus",
    "Measure",
    "Programme",
    "Registration",
    "Session",
    "Target",
    "Ticket",
    "Venue",
]
