"""Built pack tickets kept between downloads while nothing they show has changed.

Building the ticket columns of a large event (reading every ticket with its person, group and
stored code hash, hashing each secret, encoding) is most of a pack download's time, and every
scanner of the event downloads the pack again every few minutes. So the columns are kept in the
cache under a fingerprint of what they are made of, computed by PostgreSQL in three aggregate
statements (the rows' count and the sum of a 64-bit hash of each row): every ticket's id,
secret, short code, status and person (first name, demographics, registration), of the registrations' members, and of the tickets' session
restrictions, with the pack generation (salt) in the key. Any change to one of those (an issue,
a cancellation, a re-issue, an edited first name, a member added to a household, a salt
rotation) changes the fingerprint, so the next download builds afresh; nothing needs to
remember to invalidate it. Admissions, sessions and cards are not kept: each download reads them.

On other databases (SQLite for `make run`) there is no fingerprint and every download builds."""

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Func,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast

from events.models import Attendee, Event, Ticket

from .models import OfflinePackKey

# Long enough to serve a door's day of downloads; a changed event leaves its old entries to expire.
CACHE_SECONDS = 6 * 60 * 60


class _Hash64(Func):
    """PostgreSQL's 64-bit hash of a text."""

    function = "hashtextextended"
    template = "%(function)s(%(expressions)s, 0)"
    output_field = BigIntegerField()


def _digest(queryset, fields: list[str]) -> str:
    """The rows' count and the sum of a 64-bit hash of each row's fields: any row added,
    removed or changed changes it (but for a chance of 2^-64), with no sort of the rows (an
    ordered MD5 of them all took three times as long: bench/RESULTS.md)."""
    # concat_ws, not Concat: Django's nests a pair per field, each with its own casts.
    row = _Hash64(Func(Value("|"), *fields, function="concat_ws", output_field=TextField()))
    # The sum as numeric: 20,000 64-bit hashes overflow a bigint.
    found = queryset.aggregate(
        rows=Count("*"), total=Sum(Cast(row, DecimalField(max_digits=40, decimal_places=0)))
    )
    return f"{found['rows']}:{found['total'] or 0}"


def tickets_fingerprint(*, event: Event) -> str | None:
    """What the pack's ticket columns are made of, as one short text (None: not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    tickets = _digest(
        Ticket.objects.filter(event=event),
        [
            "id",
            "secret",
            "short_code",
            "status",
            "attendee_id",
            "attendee__first_name",
            "attendee__gender",
            "attendee__age_band",
            "attendee__profile",
            "attendee__registration_id",
        ],
    )
    members = _digest(Attendee.objects.filter(registration__event=event), ["id", "registration_id"])
    restrictions = _digest(
        Ticket.sessions.through.objects.filter(ticket__event=event), ["ticket_id", "session_id"]
    )
    return f"{tickets}.{members}.{restrictions}"


def _cache_key(event: Event, key: OfflinePackKey, fingerprint: str) -> str:
    return f"attendance:offline-tickets:{event.pk}:{key.pk}:{key.iterations}:{fingerprint}"


def cached_ticket_columns(*, event: Event, key: OfflinePackKey, fingerprint: str | None):
    if fingerprint is None:
        return None
    return cache.get(_cache_key(event, key, fingerprint))


def ticket_columns_keep(
    *, event: Event, key: OfflinePackKey, fingerprint: str | None, columns: dict
) -> None:
    if fingerprint is not None:
        cache.set(_cache_key(event, key, fingerprint), columns, CACHE_SECONDS)
