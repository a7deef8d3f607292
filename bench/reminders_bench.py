"""Benchmark 4: 10,000 due reminders (BENCH_SCALE=1) claimed by the outbox dispatcher and sent by a real Celery
worker (Redis broker) to the file backends (SMS: notifications' file backend; e-mail: Django's
filebased backend), against 10,000 no-op tasks on the same worker. Every message exactly once:
the outbox rows say sent, and each idempotency key appears exactly once in the delivered files."""

import collections
import datetime
import re
import shutil
import time

import redis
from django.conf import settings
from django.utils import timezone

from notifications.models import Channel, Message, Purpose
from notifications.services import messages_dispatch
from notifications.tokens import recipient_hash

from . import procs, scaled
from .tasks import NOOP_COUNTER_KEY, bench_noop_task

MESSAGES = scaled(10_000)
EMAIL_SHARE = 5  # one message in five is an e-mail, the rest SMS (the usual channel here)
TIMEOUT_S = 1800  # a shared, busy machine can be 20x slower than a quiet one
KEY_PATTERN = re.compile(r"bench-reminder-\d+")


def reminders_create(*, event, count: int, key_prefix: str = "bench-reminder") -> list[Message]:
    due = timezone.now() - datetime.timedelta(minutes=1)
    rows = []
    for number in range(count):
        if number % EMAIL_SHARE == 0:
            channel, recipient = Channel.EMAIL, f"person{number}@example.org"
        else:
            channel, recipient = Channel.SMS, f"+2126{number:08d}"
        rows.append(
            Message(
                channel=channel,
                recipient=recipient,
                recipient_hash=recipient_hash(channel, recipient),
                language="fr",
                purpose=Purpose.REMINDER,
                subject="Rappel : Bench fair",
                body="Rappel : Bench fair demain à 10h00. Votre code : K7P2-9QXM.",
                idempotency_key=f"{key_prefix}-{number}",
                event=event,
                scheduled_at=due,
            )
        )
    return Message.objects.bulk_create(rows, batch_size=2000)


def _wait_until(done, *, what: str) -> float:
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > TIMEOUT_S:
            raise RuntimeError(f"{what} did not finish within {TIMEOUT_S}s")
        time.sleep(0.1)
    return time.perf_counter()


def delivered_keys() -> collections.Counter:
    """Idempotency keys found in the SMS log files and in the e-mail files (Message-ID)."""
    keys: collections.Counter = collections.Counter()
    for directory in (settings.SMS_FILE_PATH, settings.EMAIL_FILE_PATH):
        for path in directory.glob("*"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if directory == settings.EMAIL_FILE_PATH:
                text = "\n".join(
                    line for line in text.splitlines() if line.startswith("Message-ID:")
                ).replace(".", "-")
            keys.update(KEY_PATTERN.findall(text))
    return keys


def reminders_benchmark(*, event, log=print) -> dict:
    from .outbox_breakdown import outbox_breakdown

    log("reminders: where the time per message goes (in-process, no broker)")
    breakdown = outbox_breakdown(event=event)
    for directory in (settings.SMS_FILE_PATH, settings.EMAIL_FILE_PATH):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)
    counter = redis.Redis.from_url(settings.REDIS_URL)
    counter.delete(NOOP_COUNTER_KEY)
    reminders_create(event=event, count=MESSAGES)
    worker = procs.celery_worker_start(concurrency=2)
    try:
        # Warm the worker's processes (imports, connections) before timing anything.
        for number in range(50):
            bench_noop_task.delay(number)
        _wait_until(lambda: int(counter.get(NOOP_COUNTER_KEY) or 0) >= 50, what="warm-up")
        counter.delete(NOOP_COUNTER_KEY)

        log(f"reminders: {MESSAGES:,} no-op tasks")
        started = time.perf_counter()
        for number in range(MESSAGES):
            bench_noop_task.delay(number)
        finished = _wait_until(
            lambda: int(counter.get(NOOP_COUNTER_KEY) or 0) >= MESSAGES, what="no-op tasks"
        )
        noop_per_s = MESSAGES / (finished - started)

        log(f"reminders: {MESSAGES:,} due messages through the outbox")
        # This part's messages only: other parts' rows (delivered, retrying) are not its to wait for.
        pending = Message.objects.filter(
            idempotency_key__startswith="bench-reminder-",
            status__in=[Message.Status.SCHEDULED, Message.Status.SENDING],
        )
        started = time.perf_counter()
        messages_dispatch()
        finished = _wait_until(lambda: not pending.exists(), what="reminders")
        msgs_per_s = MESSAGES / (finished - started)
        time.sleep(1)  # let a (wrong) duplicate send land before counting
        worker_peak = max(
            [procs.vm_hwm_kib(worker.pid)]
            + [procs.vm_hwm_kib(pid) for pid in procs.child_pids(worker.pid)]
        )
    finally:
        procs.stop(worker)
    keys = delivered_keys()
    mine = Message.objects.filter(idempotency_key__startswith="bench-reminder-")
    return {
        "messages": MESSAGES,
        "emails": MESSAGES // EMAIL_SHARE,
        "noop_per_s": noop_per_s,
        "msgs_per_s": msgs_per_s,
        "sent": mine.filter(status=Message.Status.SENT).count(),
        "failed": mine.filter(status=Message.Status.FAILED).count(),
        "delivered": len(keys),
        "duplicates": sum(1 for count in keys.values() if count > 1),
        "worker_peak_kib": worker_peak,
        "breakdown": breakdown,
    }
