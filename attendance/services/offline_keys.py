"""The salts and slow hashes that name tickets in an event's offline pack.

A short code has only 40 bits (8 Crockford base-32 characters), so a fast hash of it can be
reversed by trying every code. Its pack entry is therefore PBKDF2-HMAC-SHA256 with a random salt
per pack generation and an iteration count high enough that trying all 2^40 codes of one pack
takes years (figures in bench/RESULTS.md). The phone computes one such hash per typed code.

Hashing every ticket again for every download would cost seconds of CPU per ticket hundred, so
each hash is computed once per (generation, ticket, code) and stored. They are computed ahead of
the download, in the background: issuing, re-issuing or promoting tickets and rotating the salt
queue `offline_code_hashes_warm_queue`, coalesced per event so that a burst of registrations
queues one task. A pack build only hashes what that task has not done yet, a bounded number per
request (see attendance/offline.py).

Participant cards in the pack are named the same way (their secret by salted SHA-256, their short
code by the slow hash, stored per generation and card in OfflineCardCodeHash); the warm task
hashes the event's missing card codes after its missing ticket codes, and a card issued or
reissued queues it for the events its person is part of (receivers.py)."""

import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Coalesce

from events.models import Event, Ticket
from participants.models import ParticipantCard, ParticipantLink

from ..models import OfflineCardCodeHash, OfflineCodeHash, OfflinePackKey

# hashlib's PBKDF2 releases the GIL: a cold pack build uses the machine's cores.
HASH_THREADS = 4
# A registration waits this long before its event's hashes are warmed, so that the registrations
# of a burst (an import, a busy form) share one task run.
WARM_DELAY_SECONDS = 10
# How long the "warm task queued" mark lives if the task never runs (lost with its worker): after
# that, the next change queues a new one.
WARM_MARK_SECONDS = 10 * 60


def code_hash(*, code: str, salt: str, iterations: int) -> str:
    """The pack's name for a short code (what offline.js computes with WebCrypto)."""
    return hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), iterations, 32).hex()


def secret_hash(*, secret: str, salt: str) -> str:
    """The pack's name for a QR secret. A fast hash is enough here: the secret is 192 random bits,
    too many to try. The salt only keeps the same ticket from looking the same in two packs
    of different generations (or two events' packs)."""
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def offline_pack_key(*, event: Event) -> OfflinePackKey:
    """The event's current pack generation; a new one if there is none yet or the iteration
    setting changed since."""
    iterations = settings.OFFLINE_CODE_HASH_ITERATIONS
    key = OfflinePackKey.objects.filter(event=event).first()
    if key is not None and key.iterations == iterations:
        return key
    with transaction.atomic():
        # Two first downloads at once must agree on one salt.
        Event.objects.select_for_update().only("pk").get(pk=event.pk)
        key = OfflinePackKey.objects.filter(event=event).first()
        if key is None or key.iterations != iterations:
            key = OfflinePackKey.objects.create(
                event=event, salt=secrets.token_hex(16), iterations=iterations
            )
    return key


def offline_pack_key_rotate(*, event: Event) -> OfflinePackKey:
    """Start a new generation: packs built from now on share no hash with earlier ones. Every
    short code is hashed again, by the warm task queued here (or at the next build)."""
    with transaction.atomic():
        Event.objects.select_for_update().only("pk").get(pk=event.pk)
        key = OfflinePackKey.objects.create(
            event=event,
            salt=secrets.token_hex(16),
            iterations=settings.OFFLINE_CODE_HASH_ITERATIONS,
        )
        offline_code_hashes_warm_queue(event_id=event.pk, countdown=0)
    return key


class HashBudget:
    """How many slow hashes one pack request may still compute, shared by tickets and cards."""

    def __init__(self, left: int):
        self.left = left

    def take(self, wanted: int) -> int:
        granted = max(min(wanted, self.left), 0)
        self.left -= granted
        return granted


def _short_codes_hashed(key: OfflinePackKey, holders: list) -> list[str]:
    """The code hash of each ticket's or card's short code under this generation, in order,
    computed on HASH_THREADS threads."""

    def compute(holder):
        return code_hash(code=holder.short_code, salt=key.salt, iterations=key.iterations)

    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        return list(pool.map(compute, holders))


def offline_code_hashes_fill(
    *,
    key: OfflinePackKey,
    tickets: list[Ticket],
    limit: int | None = None,
    budget: HashBudget | None = None,
) -> dict[int, str]:
    """The code hash of each ticket (id -> hash) under this generation, computing and storing
    only those missing or made for another code, at most `limit` of them: a ticket left out of
    the answer still has no hash for its current code."""
    stored = {
        ticket_id: (code, hashed)
        for ticket_id, code, hashed in OfflineCodeHash.objects.filter(key=key).values_list(
            "ticket_id", "short_code", "code_hash"
        )
    }
    hashes = {
        t.pk: stored[t.pk][1] for t in tickets if t.pk in stored and stored[t.pk][0] == t.short_code
    }
    missing = [t for t in tickets if t.pk not in hashes]
    if limit is not None:
        missing = missing[: max(limit, 0)]
    if budget is not None:
        missing = missing[: budget.take(len(missing))]
    if missing:
        computed = _short_codes_hashed(key, missing)
        OfflineCodeHash.objects.bulk_create(
            [
                OfflineCodeHash(key=key, ticket_id=t.pk, short_code=t.short_code, code_hash=h)
                for t, h in zip(missing, computed, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["key", "ticket"],
            update_fields=["short_code", "code_hash"],
        )
        hashes.update({t.pk: h for t, h in zip(missing, computed, strict=True)})
    return hashes


def offline_code_hashes_missing(*, key: OfflinePackKey) -> QuerySet[Ticket]:
    """The event's tickets with no hash for their current code under this generation: valid
    tickets first (the ones the door needs), then the others the pack also lists."""
    hashed = OfflineCodeHash.objects.filter(
        key=key, ticket=OuterRef("pk"), short_code=OuterRef("short_code")
    )
    return (
        Ticket.objects.filter(event_id=key.event_id)
        .exclude(Exists(hashed))
        .annotate(
            valid_first=Case(
                When(status=Ticket.Status.VALID, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("valid_first", "id")
    )


def offline_pack_cards(*, event: Event) -> QuerySet[ParticipantCard]:
    """The cards an event's pack carries: the active cards of the organisation's participants
    with at least one registration in the event's programme (merged participants count as the
    one they were merged into, who holds the card)."""
    part_of_programme = (
        ParticipantLink.objects.filter(
            attendee__registration__event__programme_id=event.programme_id,
            participant__organization_id=event.organizer_id,
        )
        .annotate(canonical=Coalesce("participant__merged_into_id", "participant_id"))
        .values("canonical")
    )
    return ParticipantCard.objects.filter(
        status=ParticipantCard.Status.ACTIVE,
        participant__organization_id=event.organizer_id,
        participant_id__in=part_of_programme,
    )


def offline_card_code_hashes_fill(
    *, key: OfflinePackKey, cards: list[ParticipantCard], budget: HashBudget | None = None
) -> dict[int, str]:
    """The code hash of each card (id -> hash) under this generation, computing and storing at
    what `budget` allows of the missing ones (as offline_code_hashes_fill does for tickets)."""
    hashes = dict(
        OfflineCardCodeHash.objects.filter(key=key, card__in=[c.pk for c in cards]).values_list(
            "card_id", "code_hash"
        )
    )
    missing = [c for c in cards if c.pk not in hashes]
    if budget is not None:
        missing = missing[: budget.take(len(missing))]
    if missing:
        computed = _short_codes_hashed(key, missing)
        OfflineCardCodeHash.objects.bulk_create(
            [
                OfflineCardCodeHash(key=key, card=c, code_hash=h)
                for c, h in zip(missing, computed, strict=True)
            ],
            ignore_conflicts=True,  # a concurrent build stored the same hash
        )
        hashes.update({c.pk: h for c, h in zip(missing, computed, strict=True)})
    return hashes


def offline_card_code_hashes_missing(*, key: OfflinePackKey, event: Event):
    return (
        offline_pack_cards(event=event)
        .exclude(Exists(OfflineCardCodeHash.objects.filter(key=key, card=OuterRef("pk"))))
        .order_by("id")
    )


def _warm_mark(event_id: int) -> str:
    return f"attendance:offline-warm-queued:{event_id}"


def offline_code_hashes_warm_queue(*, event_id: int, countdown: int = WARM_DELAY_SECONDS) -> None:
    """Queue the warm task for this event once the current transaction commits, unless one is
    already queued and has not started yet: that run will see these tickets too (it reads them
    after clearing the mark), so a burst of registrations queues one task, not one each."""

    def queue():
        if not cache.add(_warm_mark(event_id), 1, timeout=countdown + WARM_MARK_SECONDS):
            return
        from ..tasks import offline_code_hashes_warm_task

        try:
            offline_code_hashes_warm_task.apply_async(args=[event_id], countdown=countdown)
        except Exception:
            # Not queued: let the next change (or the next pack download) queue it again.
            cache.delete(_warm_mark(event_id))
            raise

    transaction.on_commit(queue)


def offline_code_hashes_warm(*, event_id: int, batch: int | None = None) -> int:
    """Compute up to `batch` missing code hashes of the event under its current generation and
    queue the next run if some are left; how many are left. Idempotent: with nothing missing it
    computes nothing."""
    # Cleared before reading the tickets: a ticket committed after this point queues a new run.
    cache.delete(_warm_mark(event_id))
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    batch = settings.OFFLINE_CODE_HASH_WARM_BATCH if batch is None else batch
    key = offline_pack_key(event=event)
    missing = offline_code_hashes_missing(key=key)
    tickets = list(missing.only("id", "short_code")[:batch])
    if tickets:
        offline_code_hashes_fill(key=key, tickets=tickets)
    missing_cards = offline_card_code_hashes_missing(key=key, event=event)
    cards = list(missing_cards.only("id", "short_code")[: batch - len(tickets)])
    if cards:
        offline_card_code_hashes_fill(key=key, cards=cards)
    if len(tickets) + len(cards) < batch:
        # Everything missing when this run looked is done; later changes queued their own run.
        return 0
    left = missing.count() + missing_cards.count()
    if left:
        offline_code_hashes_warm_queue(event_id=event_id, countdown=0)
    return left
