"""Per-IP rate limiting on Django's cache (Redis in production, so every web process shares the
counts). Fixed windows: simple, and good enough to stop a script filling a public form.

The same counter locks out guessing: count each failure with ratelimit_hit() and refuse further
tries while ratelimit_exhausted() (which reads the count without adding to it);
ratelimit_retry_after() says how long a refused person has to wait."""

import math
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.translation import gettext as _

from .errors import ApplicationError


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # so trusting it would let anyone pick a fresh "IP" per request.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _cache_key(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def ratelimit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True while the key is within `limit` hits per window, False once over it."""
    cache_key = _cache_key(scope, key)
    # caches[...] (not the `cache` proxy) so the backend's class can be told.
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        count = _redis_count(backend, cache_key, window_seconds)
    else:
        count = _generic_count(backend, cache_key, window_seconds)
    return count <= limit


def ratelimit_exhausted(*, scope: str, key: str, limit: int) -> bool:
    """True once the key has `limit` hits in its current window; counts nothing itself."""
    return (caches["default"].get(_cache_key(scope, key)) or 0) >= limit


def ratelimit_retry_after(*, scope: str, key: str, limit: int) -> int:
    """Whole seconds until an exhausted key's window ends (at least 1); 0 while the key may still
    be hit. Counts nothing itself."""
    if not ratelimit_exhausted(scope=scope, key=key, limit=limit):
        return 0
    cache_key = _cache_key(scope, key)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        key_in_redis = backend.make_and_validate_key(cache_key)
        remaining = backend._cache.get_client(key_in_redis).ttl(key_in_redis)
    else:
        remaining = (backend.get(_window_end_key(cache_key)) or 0) - time.time()
    # Expired between the two reads (or a TTL of -1/-2): the next try is allowed at once, but
    # the caller asked because the count was full, so a positive wait keeps its answer coherent.
    return max(math.ceil(remaining), 1)


# INCR, and start the window's expiry at the first hit: one round trip, atomic (a crash between
# two separate commands could leave a counter that never expires).
_COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _redis_count(cache: RedisCache, cache_key: str, window_seconds: int) -> int:
    # This runs on every door scan: one server-side script instead of Django's add() then
    # incr() (which first checks the key exists), three round trips. The value stays a plain
    # integer, readable through the cache API.
    key = cache.make_and_validate_key(cache_key)
    # Django builds a new client object per call: keep the writer's client, and the registered
    # script, on the backend (Django holds a backend per thread).
    script = getattr(cache, "_ratelimit_script", None)
    if script is None:
        client = cache._cache.get_client(key, write=True)
        script = cache._ratelimit_script = client.register_script(_COUNT_IN_WINDOW)
    return script(keys=[key], args=[window_seconds])


def _window_end_key(cache_key: str) -> str:
    # Django's cache API cannot tell a key's expiry: other backends keep it beside the count.
    return f"{cache_key}:ends"


def _generic_count(cache, cache_key: str, window_seconds: int) -> int:
    # add() only sets a missing key, so the window starts at the first hit and is never extended.
    if _generic_start_window(cache, cache_key, window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        _generic_start_window(cache, cache_key, window_seconds)
        return 1


def _generic_start_window(cache, cache_key: str, window_seconds: int) -> bool:
    if not cache.add(cache_key, 1, timeout=window_seconds):
        return False
    cache.set(_window_end_key(cache_key), time.time() + window_seconds, timeout=window_seconds)
    return True


class CodeGuessGuard:
    """Wrong codes typed on a public page (a ticket or card code), counted per address and per
    event: a room shares one Wi-Fi address and people mistype, so the default limit is generous;
    it only has to stop someone trying codes in bulk."""

    def __init__(self, scope: str, *, limit: int = 30, window_seconds: int = 600):
        self.scope, self.limit, self.window_seconds = scope, limit, window_seconds

    def _key(self, request, event_id: int) -> str:
        return f"{event_id}:{client_ip(request)}"

    def exhausted(self, request, event_id: int) -> bool:
        return ratelimit_exhausted(
            scope=self.scope, key=self._key(request, event_id), limit=self.limit
        )

    def count_failure(self, request, event_id: int) -> None:
        ratelimit_hit(
            scope=self.scope,
            key=self._key(request, event_id),
            limit=self.limit,
            window_seconds=self.window_seconds,
        )

    def attempt(self, request, event_id: int, action, *, counted=None):
        """Run `action`, which reads a typed code, unless this address has used its tries for
        the event (then ApplicationError `too_many_attempts`, 429). An ApplicationError of the
        action counts as a failure when its code is in `counted` (any, when None), and goes on."""
        if self.exhausted(request, event_id):
            raise ApplicationError(
                _("Too many attempts. Please wait a few minutes."),
                code="too_many_attempts",
                status=429,
            )
        try:
            return action()
        except ApplicationError as exc:
            if counted is None or exc.code in counted:
                self.count_failure(request, event_id)
            raise
