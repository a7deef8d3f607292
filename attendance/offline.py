"""The offline pack: what a scanner downloads to validate tickets of its sessions with no network.

It holds no more about a person than a scan result shows (first name or nickname, gender, age
band, profile, group size), never phone, e-mail or family name. Tickets are named by hashes only,
all salted with the event's current pack generation (`hashing` in the pack says how):
- the QR secret as SHA-256 of salt and secret (192 random bits: the hash cannot be turned back
  into a ticket, so a fast hash is enough);
- the short code as PBKDF2-HMAC-SHA256 with the salt and many iterations: a short code has only
  40 bits, so the hash must be slow enough that trying every code of a stolen pack takes years
  (see services/offline_keys.py and bench/RESULTS.md). These slow hashes are stored per ticket
  and generation, and normally the warm task has computed them in the background when tickets
  were issued. A build still hashes what is missing, but at most OFFLINE_PACK_HASHES_PER_REQUEST
  of them: with more missing (a fresh salt, a large import a moment ago) it queues the warm task
  and raises OfflinePackNotReady, which the API answers with 503 and Retry-After.
Ticket ids (database integers, no personal meaning) let the sync say which ticket was admitted;
a ticket's `group` (the lowest ticket id of its registration) says which tickets are one household
or class, so that the scanner admits the members chosen at the door together, offline too.

Participant cards: the active cards of the organisation's participants with a registration in
the event's programme, named like tickets (salted SHA-256 of the secret, the stored slow hash of
the short code; the same request budget covers both), each with the participant's demographics
(no name at all) and the ids of their valid tickets of this event. A card with a ticket is
decided on that ticket; one without is a known walk-in when `door.known_walk_ins` is on (the
sync registers them, services/sync.py). Issuing, revoking or reissuing a card changes the pack,
hence its version.

Compact JSON: tickets are rows of values in the order given by `fields`."""

import hashlib
import json

from django.conf import settings
from django.db.models import Count, Min, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Event, Session, Ticket

from .models import Attendance, DoorToken
from .selectors import token_sessions
from .services.door import checkin_window
from .services.door_cards import known_walk_ins_accepted
from .services.offline_keys import (
    HashBudget,
    offline_card_code_hashes_fill,
    offline_code_hashes_fill,
    offline_code_hashes_warm_queue,
    offline_pack_cards,
    offline_pack_key,
    secret_hash,
)

# What the API tells a scanner to wait before asking again when the pack is not ready.
PACK_RETRY_AFTER_SECONDS = 60


class OfflinePackNotReady(Exception):
    """Too many short codes of the event are not hashed yet for one request to do it."""


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
    # The lowest ticket id of the ticket's registration: tickets with the same value are one
    # household or class, which the scanner offers to admit together.
    "group",
]

CARD_FIELDS = ["id", "secret_hash", "code_hash", "gender", "age_band", "profile", "tickets"]


def offline_pack(*, token: DoorToken, event: Event) -> dict:
    """The pack for one event the token is assigned to (the caller checks the assignment)."""
    sessions = list(token_sessions(token=token).filter(event=event))
    tickets = (
        Ticket.objects.filter(event=event)
        .select_related("attendee")
        .annotate(
            group_size=Count("attendee__registration__members", distinct=True),
            group=Min("attendee__registration__members__ticket__id"),
        )
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.only("id")))
        .order_by("id")
    )
    tickets = list(tickets)
    key = offline_pack_key(event=event)
    budget = HashBudget(settings.OFFLINE_PACK_HASHES_PER_REQUEST)
    code_hashes = offline_code_hashes_fill(key=key, tickets=tickets, budget=budget)
    cards = list(
        offline_pack_cards(event=event)
        .select_related("participant")
        .only(
            "id",
            "secret",
            "short_code",
            "participant__gender",
            "participant__age_band",
            "participant__profile",
        )
        .order_by("id")
    )
    card_code_hashes = offline_card_code_hashes_fill(key=key, cards=cards, budget=budget)
    if len(code_hashes) < len(tickets) or len(card_code_hashes) < len(cards):
        # This request did its share; the task does the rest (a no-op if one is already queued).
        offline_code_hashes_warm_queue(event_id=event.pk, countdown=0)
        raise OfflinePackNotReady
    rows = [
        [
            ticket.pk,
            secret_hash(secret=ticket.secret, salt=key.salt),
            code_hashes[ticket.pk],
            ticket.attendee.first_name,
            ticket.attendee.gender,
            ticket.attendee.age_band,
            ticket.attendee.profile,
            ticket.group_size,
            ticket.status,
            [session.pk for session in ticket.sessions.all()],
            ticket.group,
        ]
        for ticket in tickets
    ]
    held: dict[int, list[int]] = {}
    for holder, ticket_id in (
        Ticket.objects.filter(event=event, status=Ticket.Status.VALID)
        .annotate(
            holder=Coalesce(
                "attendee__participant_link__participant__merged_into_id",
                "attendee__participant_link__participant_id",
            )
        )
        .filter(holder__in=[card.participant_id for card in cards])
        .values_list("holder", "id")
    ):
        held.setdefault(holder, []).append(ticket_id)
    card_rows = [
        [
            card.pk,
            secret_hash(secret=card.secret, salt=key.salt),
            card_code_hashes[card.pk],
            card.participant.gender,
            card.participant.age_band,
            card.participant.profile,
            sorted(held.get(card.participant_id, [])),
        ]
        for card in cards
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
        "hashing": {
            "salt": key.salt,
            "secret": "sha256",
            "code": "pbkdf2-sha256",
            "iterations": key.iterations,
        },
        "fields": PACK_FIELDS,
        "sessions": session_rows,
        "tickets": rows,
        "admitted": admitted,
        "card_fields": CARD_FIELDS,
        "cards": card_rows,
        "door": {"known_walk_ins": known_walk_ins_accepted(event.pk)},
    }
    # The version changes whenever anything in the pack does, so a scanner can tell a fresh pack.
    digest = hashlib.sha256(
        json.dumps(content, separators=(",", ":"), sort_keys=True).encode()
    ).hexdigest()[:16]
    return {"version": digest, "generated_at": timezone.now().isoformat(), **content}
