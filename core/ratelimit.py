"""Per-IP rate limiting on Django's cache (Redis in production, so every web process shares the
counts). Fixed windows: simple, and good enough to stop a script filling a public form."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import render


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # so trusting it would let anyone pick a fresh "IP" per request.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ratelimit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True while the key is within `limit` hits per window, False once over it."""
    cache_key = f"ratelimit:{scope}:{key}"
    # add() only sets a missing key, so the window starts at the first hit and is never extended.
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


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
