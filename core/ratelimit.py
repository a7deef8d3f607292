"""Per-IP rate limiting on Django's cache (Redis in production, so every web process shares the
counts). Fixed windows: simple, and good enough to stop a script filling a public form.

The same counter locks out guessing: count each failure with ratelimit_hit() and refuse further
tries while ratelimit_exhausted() (which reads the count without adding to it)."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.shortcuts import render


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


def _generic_count(cache, cache_key: str, window_seconds: int) -> int:
    # add() only sets a missing key, so the window starts at the first hit and is never extended.
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def rate_limited(
    scope: str,
    *,
    setting: str,
    methods: tuple[str, ...] = ("POST",),
    exempt: Callable[[HttpRequest], bool] | None = None,
):
    """Decorate a view: beyond the limit named by `setting` (a (hits, seconds) pair), requests
    from one IP get the 429 page instead of the view. Requests for which `exempt(request)` is
    true (steps that write nothing) are neither counted nor refused."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and not (exempt and exempt(request)):
                limit, window = getattr(settings, setting)
                if not ratelimit_hit(
                    scope=scope, key=client_ip(request), limit=limit, window_seconds=window
                ):
                    response = render(
                        request,
                        "core/429.html",
                        {"retry_minutes": max(window // 60, 1)},
                        status=429,
                    )
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
