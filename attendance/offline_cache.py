"""Built pack tickets kept between downloads while nothing they show has changed.

Building the ticket columns of a large event (reading every ticket with its person, group and
stored code hash, hashing each secret, encoding) is most of a pack download's time, and every
scanner of the event downloads the pack again every few minutes. So the columns are kept in the
cache under a fingerprint of what they are made of: an MD5, computed by PostgreSQL in three
aggregate statements, of every ticket's id, secret, short code, status and person (first name,
demographics, registration), of the registrations' members, and of the tickets' session
restrictions, with the pack generation (salt) in the key. Any change to one of those (an issue,
a cancellation, a re-issue, an edited first name, a member added to a household, a salt
rotation) changes the fingerprint, so the next download builds afresh; nothing needs to
remember to invalidate it. Admissions, sessions and cards are not kept: each download reads them.

On other databases (SQLite for `make run`) there is no fingerprint and every download builds."""

from django.contrib.postgres.aggregates import StringAgg
from django.core.cache import cache
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import MD5, Cast, Concat

from events.models import Attendee, Event, Ticket

from .models import OfflinePackKey

# Long enough to serve a door's day of downloads; a changed event leaves its old entries to expire.
CACHE_SECONDS = 6 * 60 * 60


def _digest(queryset, fields: list[str], ordering: list[str]) -> str:
    parts = []
    for name in fields:
        parts += [Cast(name, TextField()), Value("|")]
    text = Concat(*parts, output_field=TextField())
    digest = queryset.aggregate(
        digest=MD5(StringAgg(text, delimiter=";", order_by=ordering, output_field=TextField()))
    )["digest"]
    return digest or "-"


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
        ["id"],
    )
    members = _digest(
        Attendee.objects.filter(registration__event=event), ["id", "registration_id"], ["id"]
    )
    restrictions = _digest(
        Ticket.sessions.through.objects.filter(ticket__event=event),
        ["ticket_id", "session_id"],
        ["ticket_id", "session_id"],
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
