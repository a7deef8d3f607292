"""Provider rate limits per channel (settings.NOTIFICATIONS_RATE_LIMITS, messages per second; 0 =
no limit), shared by every worker process through Redis.

The limit is a GCRA (generic cell rate algorithm, a token bucket kept as one timestamp): each send
reserves the next slot in one Lua call, atomic across workers, and learns how long to wait for it.
A slot further away than NOTIFICATIONS_RATE_MAX_WAIT_SECONDS is not reserved: the caller leaves
the row for later instead of holding a worker asleep. When a provider answers 429, send_pause()
pushes the channel's next slot past its Retry-After, for every worker at once.

Without Redis (`make run` on the filesystem broker: one worker) the same arithmetic runs in the
process."""

import math
import threading
import time

import redis
from django.conf import settings

KEY_PREFIX = "multaqa:notifications:rate:"

# KEYS[1]: the channel's theoretical arrival time (TAT) in ms. ARGV: emission interval (ms), burst
# tolerance (ms), longest wait worth reserving (ms). Returns {reserved 0/1, wait in ms}.
# Redis's own clock, so that workers on several machines agree.
_RESERVE = """
local now_s = redis.call('TIME')
local now = tonumber(now_s[1]) * 1000 + math.floor(tonumber(now_s[2]) / 1000)
local interval, tolerance, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, wait} end
local new_tat = tat + interval
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now + 1000)
return {1, wait}
"""

# KEYS[1] as above. ARGV: pause (ms), burst tolerance (ms). Moves the TAT so that the next slot is
# no sooner than the pause from now; never brings it closer.
_PAUSE = """
local now_s = redis.call('TIME')
local now = tonumber(now_s[1]) * 1000 + math.floor(tonumber(now_s[2]) / 1000)
local target = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < target then redis.call('SET', KEYS[1], target, 'PX', target - now + 1000) end
return target
"""

_local_lock = threading.Lock()
_local_tat: dict[str, float] = {}
_clients: dict[str, tuple] = {}


def rate_for(channel: str) -> float:
    return float(settings.NOTIFICATIONS_RATE_LIMITS.get(channel) or 0)


def _shape(channel: str) -> tuple[float, float]:
    """(emission interval, burst tolerance) in ms for a limited channel."""
    interval = 1000.0 / rate_for(channel)
    burst = max(1, settings.NOTIFICATIONS_RATE_BURST)
    return interval, interval * (burst - 1)


def _scripts():
    url = settings.REDIS_URL
    if url not in _clients:
        # redis-py's pool reconnects after a fork, so one client per process is safe in prefork.
        client = redis.Redis.from_url(url)
        _clients[url] = (client.register_script(_RESERVE), client.register_script(_PAUSE))
    return _clients[url]


def send_slot_reserve(channel: str) -> float | None:
    """Seconds to wait before this send (0: now), with the slot reserved; None when the next
    slot is further than NOTIFICATIONS_RATE_MAX_WAIT_SECONDS (nothing reserved)."""
    if rate_for(channel) <= 0:
        return 0.0
    interval, tolerance = _shape(channel)
    max_wait = settings.NOTIFICATIONS_RATE_MAX_WAIT_SECONDS * 1000
    if settings.REDIS_URL:
        reserve, _pause = _scripts()
        reserved, wait = reserve(keys=[KEY_PREFIX + channel], args=[interval, tolerance, max_wait])
        return float(wait) / 1000 if reserved else None
    with _local_lock:
        now = time.monotonic() * 1000
        tat = max(_local_tat.get(channel, now), now)
        wait = max(tat - tolerance - now, 0)
        if wait > max_wait:
            return None
        _local_tat[channel] = tat + interval
        return wait / 1000


def send_pause(channel: str, seconds: float) -> None:
    """The provider asked every sender to wait `seconds`: no slot on this channel before then.
    Only a limited channel keeps a shared clock; on an unlimited one each batch that meets the
    429 waits on its own (sending.py), which costs no Redis call per message."""
    if rate_for(channel) <= 0:
        return
    _interval, tolerance = _shape(channel)
    if settings.REDIS_URL:
        _reserve, pause = _scripts()
        pause(keys=[KEY_PREFIX + channel], args=[int(seconds * 1000), tolerance])
        return
    with _local_lock:
        target = time.monotonic() * 1000 + seconds * 1000 + tolerance
        _local_tat[channel] = max(_local_tat.get(channel, 0), target)


def wait_estimate(channel: str) -> int:
    """Whole seconds until this channel's next free slot, without reserving it (0: now)."""
    if rate_for(channel) <= 0:
        return 0
    if settings.REDIS_URL:
        raw = redis_client().get(KEY_PREFIX + channel)
        if raw is None:
            return 0
        now = time.time() * 1000
        tat = float(raw)
    else:
        with _local_lock:
            now = time.monotonic() * 1000
            tat = _local_tat.get(channel, now)
    _interval, tolerance = _shape(channel)
    return max(math.ceil((tat - tolerance - now) / 1000), 0)


def redis_client() -> redis.Redis:
    reserve, _pause = _scripts()
    return reserve.registered_client
