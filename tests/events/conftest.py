import datetime
import threading

import pytest
import time_machine
from django.core.cache import cache

# Before the factories' events (1–3 December 2026), so the public registration window is open.
BEFORE_EVENTS = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_now():
    with time_machine.travel(BEFORE_EVENTS, tick=False):
        yield BEFORE_EVENTS


class SignalCatcher:
    """Collects the keyword arguments of every send of a signal (thread-safe)."""

    def __init__(self, signal):
        self.signal = signal
        self.calls: list[dict] = []
        self._lock = threading.Lock()

    def __call__(self, sender, signal, **kwargs):
        with self._lock:
            self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)
