"""The offline pack: what a scanner downloads to validate tickets of its sessions with no network.

It holds no more about a person than a scan result shows (first name or nickname, gender, age
band, profile, group size), never phone, e-mail or family name. Tickets are named by hashes only:
- the QR secret as SHA-256 (192 random bits: the hash cannot be turned back into a ticket);
- the short code as SHA-256 too. A short code has only 40 bits, so whoever holds a stolen pack
  could recover codes by brute force; we still hash them so that a pack read over a shoulder, in a
  backup or a log shows no code a person could type at the door. The real safeguards are the ones
  online scans already have: the door token is revocable, and a re-issued ticket gets new codes.
Ticket ids (database integers, no personal meaning) let the sync say which ticket was admitted.

Compact JSON: tickets are rows of values in the order given by `fields`."""

import hashlib
import json

from django.db.models import Count, Prefetch
from django.utils import timezone

from events.models import Event, Session, Ticket

from .models import Attendance, DoorToken
from .selectors import token_sessions
from .services.door import checkin_window
from .services.sync import short_code_hash, ticket_secret_hash

PACK_FIELDS = [
    "id",
    "secret_hash",
    "code_hash",
    "first_name",
    "gender",
    "age_band",
    "profile",
    "group_size",
    "status",
    "sessions",
]


def offline_pack(*, token: DoorToken, event: Event) -> dict:
    """The pack for one event the token is assigned to (the caller checks the assignment)."""
    sessions = list(token_sessions(token=token).filter(event=event))
    tickets = (
        Ticket.objects.filter(event=event)
        .select_related("attendee")
        .annotate(group_size=Count("attendee__registration__members", distinct=True))
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.only("id")))
        .order_by("id")
    )
    rows = [
        [
            ticket.pk,
            ticket_secret_hash(ticket.secret),
            short_code_hash(ticket.short_code),
            ticket.attendee.first_name,
            ticket.attendee.gender,
            ticket.attendee.age_band,
            ticket.attendee.profile,
            ticket.group_size,
            ticket.status,
            [session.pk for session in ticket.sessions.all()],
        ]
        for ticket in tickets
    ]
    admitted = {str(session.pk): [] for session in sessions}
    for session_id, ticket_id in Attendance.objects.filter(
        session__in=sessions, ticket__isnull=False, voided_at__isnull=True
    ).values_list("session_id", "ticket_id"):
        admitted[str(session_id)].append(ticket_id)
    session_rows = []
    for session in sessions:
        opens, closes = checkin_window(session)
        session_rows.append(
            {"id": session.pk, "opens": opens.isoformat(), "closes": closes.isoformat()}
        )
    content = {
        "event_id": event.pk,
        "fields": PACK_FIELDS,
        "sessions": session_rows,
        "tickets": rows,
        "admitted": admitted,
    }
    # The version changes whenever anything in the pack does, so a scanner can tell a fresh pack.
    digest = hashlib.sha256(
        json.dumps(content, separators=(",", ":"), sort_keys=True).encode()
    ).hexdigest()[:16]
    return {"version": digest, "generated_at": timezone.now().isoformat(), **content}
