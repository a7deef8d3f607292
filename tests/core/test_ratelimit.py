"""The fixed-window counter behind the registration form's and the door tokens' rate limits."""

import pytest
from django.core.cache import caches

from core.ratelimit import ratelimit_hit


def _hits(count, **kwargs):
    return [ratelimit_hit(**kwargs) for _ in range(count)]


@pytest.mark.redis
def test_redis_window_starts_at_the_first_hit_and_is_never_extended():
    backend = caches["default"]
    backend.delete("ratelimit:window:k")
    key = backend.make_and_validate_key("ratelimit:window:k")
    client = backend._cache.get_client(key, write=True)

    assert _hits(1, scope="window", key="k", limit=3, window_seconds=60) == [True]
    assert 0 < client.ttl(key) <= 60
    client.expire(key, 5)  # the window is nearly over
    assert _hits(3, scope="window", key="k", limit=3, window_seconds=60) == [True, True, False]

    assert client.ttl(key) <= 5
    assert backend.get("ratelimit:window:k") == 4  # still a plain count for the cache API


def test_counts_per_key_on_any_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()

    assert _hits(3, scope="any", key="a", limit=2, window_seconds=60) == [True, True, False]
    assert _hits(1, scope="any", key="b", limit=2, window_seconds=60) == [True]


@pytest.mark.redis
def test_exhausted_reads_the_count_without_adding_to_it():
    from core.ratelimit import ratelimit_exhausted

    caches["default"].delete("ratelimit:lockout:k")
    for _ in range(5):
        assert not ratelimit_exhausted(scope="lockout", key="k", limit=2)
    _hits(1, scope="lockout", key="k", limit=2, window_seconds=60)
    assert not ratelimit_exhausted(scope="lockout", key="k", limit=2)
    _hits(1, scope="lockout", key="k", limit=2, window_seconds=60)
    assert ratelimit_exhausted(scope="lockout", key="k", limit=2)


def _retry_after_follows_the_window(window_seconds):
    from core.ratelimit import ratelimit_retry_after

    assert ratelimit_retry_after(scope="wait", key="k", limit=1) == 0
    _hits(1, scope="wait", key="k", limit=1, window_seconds=window_seconds)
    wait = ratelimit_retry_after(scope="wait", key="k", limit=1)
    assert window_seconds - 2 <= wait <= window_seconds


def test_retry_after_tells_the_rest_of_the_window_on_any_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    _retry_after_follows_the_window(600)


@pytest.mark.redis
def test_retry_after_tells_the_rest_of_the_window_on_redis():
    caches["default"].delete("ratelimit:wait:k")
    _retry_after_follows_the_window(600)
