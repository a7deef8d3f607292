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

Compact JSON: the tickets are columns (offline_format.py says how, and why the hashes are cut);
`format` says which layout a pack has."""

import hashlib
import json
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Attendee, Event, Ticket

from .models import Attendance, DoorToken
from .offline_cache import cached_ticket_columns, ticket_columns_keep, tickets_fingerprint
from .offline_format import tickets_encode
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


# 2: tickets in columns with cut hashes (offline_format.py); 1 (no `format`): rows of `fields`.
PACK_FORMAT = 2


class OfflinePackNotReady(Exception):
    """Too many short codes of the event are not hashed yet for one request to do it."""


CARD_FIELDS = ["id", "secret_hash", "code_hash", "gender", "age_band", "profile", "tickets"]


class TicketCode(NamedTuple):
    """What the code hashes need of a ticket (no model instance: a pack reads thousands)."""

    pk: int
    short_code: str


def _pack_tickets(event: Event) -> list[tuple]:
    """The event's tickets with their door fields, in id order, as plain rows."""
    return list(
        Ticket.objects.filter(event=event)
        .order_by("id")
        .values_list(
            "id",
            "secret",
            "short_code",
            "status",
            "attendee__first_name",
            "attendee__gender",
            "attendee__age_band",
            "attendee__profile",
            "attendee__registration_id",
        )
    )


def _groups(event: Event) -> dict[int, tuple[int, int]]:
    """Registration id -> (members, lowest ticket id) for the event's households and classes
    (registrations of more than one person)."""
    rows = (
        Attendee.objects.filter(registration__event=event)
        .values("registration_id")
        .annotate(size=Count("id"), first=Min("ticket__id"))
        .filter(size__gt=1)
        .values_list("registration_id", "size", "first")
    )
    return {registration: (size, first) for registration, size, first in rows}


def _restricted_sessions(event: Event) -> dict[int, list[int]]:
    restricted: dict[int, list[int]] = {}
    for ticket_id, session_id in (
        Ticket.sessions.through.objects.filter(ticket__event=event)
        .order_by("ticket_id", "session_id")
        .values_list("ticket_id", "session_id")
    ):
        restricted.setdefault(ticket_id, []).append(session_id)
    return restricted


def _ticket_columns(event: Event, key, tickets: list[tuple], code_hashes: dict) -> dict:
    groups = _groups(event)
    restricted = _restricted_sessions(event)
    salt = key.salt.encode() + b":"
    return tickets_encode(
        ids=[row[0] for row in tickets],
        secret_hashes=[hashlib.sha256(salt + row[1].encode()).digest() for row in tickets],
        code_hashes=[bytes.fromhex(code_hashes[row[0]]) for row in tickets],
        first_names=[row[4] for row in tickets],
        coded={
            "status": [row[3] for row in tickets],
            "gender": [row[5] for row in tickets],
            "age_band": [row[6] for row in tickets],
            "profile": [row[7] for row in tickets],
        },
        group_sizes=[groups.get(row[8], (1, row[0]))[0] for row in tickets],
        groups=[groups.get(row[8], (1, row[0]))[1] for row in tickets],
        sessions=[restricted.get(row[0], []) for row in tickets],
    )


def offline_pack(*, token: DoorToken, event: Event) -> dict:
    """The pack for one event the token is assigned to (the caller checks the assignment)."""
    sessions = list(token_sessions(token=token).filter(event=event))
    key = offline_pack_key(event=event)
    budget = HashBudget(settings.OFFLINE_PACK_HASHES_PER_REQUEST)
    # Read before the tickets: a change made meanwhile leaves a fingerprint that fits no pack.
    fingerprint = tickets_fingerprint(event=event)
    ticket_columns = cached_ticket_columns(event=event, key=key, fingerprint=fingerprint)
    tickets, code_hashes = [], {}
    if ticket_columns is None:
        tickets = _pack_tickets(event)
        code_hashes = offline_code_hashes_fill(
            key=key, tickets=[TicketCode(row[0], row[2]) for row in tickets], budget=budget
        )
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
    if ticket_columns is None:
        ticket_columns = _ticket_columns(event, key, tickets, code_hashes)
        ticket_columns_keep(event=event, key=key, fingerprint=fingerprint, columns=ticket_columns)
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
        "format": PACK_FORMAT,
        "sessions": session_rows,
        "tickets": ticket_columns,
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
