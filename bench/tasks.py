"""The reminders benchmark's baseline task: the cheapest task that still tells the benchmark it
ran (one Redis INCR), on the same worker, broker and serializer as the message sends."""

import redis
from celery import shared_task
from django.conf import settings

NOOP_COUNTER_KEY = "bench:noop-done"


@shared_task
def bench_noop_task(number: int) -> None:
    redis.Redis.from_url(settings.REDIS_URL).incr(NOOP_COUNTER_KEY)
