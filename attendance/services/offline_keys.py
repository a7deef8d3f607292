"""The salts and slow hashes that name tickets in an event's offline pack.

A short code has only 40 bits (8 Crockford base-32 characters), so a fast hash of it can be
reversed by trying every code. Its pack entry is therefore PBKDF2-HMAC-SHA256 with a random salt
per pack generation and an iteration count high enough that trying all 2^40 codes of one pack
takes years (figures in bench/RESULTS.md). The phone computes one such hash per typed code.

Hashing every ticket again for every download would cost seconds of CPU per ticket hundred, so
each hash is computed once per (generation, ticket, code) and stored; a pack build only hashes
the tickets that are new or whose code changed (re-issued)."""

import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction

from events.models import Event, Ticket

from ..models import OfflineCodeHash, OfflinePackKey

# hashlib's PBKDF2 releases the GIL: a cold pack build uses the machine's cores.
HASH_THREADS = 4


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
    short code is hashed again at the next build (or by `offline_code_hashes_fill`)."""
    with transaction.atomic():
        Event.objects.select_for_update().only("pk").get(pk=event.pk)
        return OfflinePackKey.objects.create(
            event=event,
            salt=secrets.token_hex(16),
            iterations=settings.OFFLINE_CODE_HASH_ITERATIONS,
        )


def offline_code_hashes_fill(*, key: OfflinePackKey, tickets: list[Ticket]) -> dict[int, str]:
    """The code hash of each ticket (id -> hash) under this generation, computing and storing
    only those missing or made for another code."""
    stored = {
        ticket_id: (code, hashed)
        for ticket_id, code, hashed in OfflineCodeHash.objects.filter(key=key).values_list(
            "ticket_id", "short_code", "code_hash"
        )
    }
    hashes = {t.pk: stored[t.pk][1] for t in tickets if t.pk in stored}
    missing = [t for t in tickets if stored.get(t.pk, ("", ""))[0] != t.short_code]
    if missing:

        def compute(ticket):
            return code_hash(code=ticket.short_code, salt=key.salt, iterations=key.iterations)

        with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
            computed = list(pool.map(compute, missing))
        OfflineCodeHash.objects.bulk_create(
            [
                OfflineCodeHash(key=key, ticket=t, short_code=t.short_code, code_hash=h)
                for t, h in zip(missing, computed, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["key", "ticket"],
            update_fields=["short_code", "code_hash"],
        )
        hashes.update({t.pk: h for t, h in zip(missing, computed, strict=True)})
    return hashes
