"""End to end with real processes: a Celery worker subprocess on the real Redis and PostgreSQL,
a real SMTP server (aiosmtpd) and a local HTTP server standing in for the SMS provider.

Polling with short waits is unavoidable here: the worker lives in another process."""

import datetime
import email
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from notifications import services
from notifications.models import Message
from notifications.tasks import messages_dispatch_due_task
from tests.fakes.json_http import JsonHandler

from .conftest import ticket_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

CONCURRENCY = 2
LEASE_SECONDS = 3
BASE_DIR = Path(settings.BASE_DIR)


class Recorder:
    """Everything the fake providers received, keyed by the message's idempotency key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.keys: list[str] = []

    def add(self, key: str):
        with self.lock:
            self.keys.append(key)

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.keys)

    def __len__(self):
        with self.lock:
            return len(self.keys)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def received():
    return Recorder()


@pytest.fixture
def sms_gateway(received):
    class Handler(JsonHandler):
        def do_POST(self):
            payload = self.read_json()
            assert self.headers["Authorization"] == "Bearer it-token"
            assert self.headers["Idempotency-Key"] == payload["reference"]
            received.add(payload["reference"])
            self.reply_json(200, {"id": f"gw-{len(received)}"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/messages"
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server(received):
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            parsed = email.message_from_bytes(envelope.content)
            # Message-ID is <idempotency key with dots>@domain: map it back to the key.
            key = parsed["Message-ID"].strip("<>").split("@", 1)[0].replace(".", ":")
            received.add(key)
            return "250 OK"

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command otherwise
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def worker_environment(**overrides: str) -> dict[str, str]:
    """The environment of a worker on this test's database and Redis (flushed first)."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The worker must use the pytest test database, not the developer's one.
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{connection.settings_dict['NAME']}"
        ),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


@pytest.fixture
def worker_env(sms_gateway, smtp_server):
    return worker_environment(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server),
        SMS_BACKEND="notifications.sms.backends.http.SmsBackend",
        SMS_HTTP_URL=sms_gateway,
        SMS_HTTP_TOKEN="it-token",
        NOTIFICATIONS_SEND_LEASE_SECONDS=str(LEASE_SECONDS),
    )


class Worker:
    def __init__(self, env, log_path: Path, *, beat: bool = False):
        self.env, self.log_path, self.process = env, log_path, None
        # With its embedded beat, the worker ticks the dispatcher itself, as in production.
        self.beat_args = (
            ["--beat", f"--schedule={log_path.parent / 'celerybeat-schedule'}"] if beat else []
        )

    def start(self):
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={CONCURRENCY}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *self.beat_args,
                "-n",
                f"it-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self):
        """SIGKILL the whole process group: the main process and its pool children."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(worker_env, tmp_path):
    celery_app.conf.task_always_eager = False
    handle = Worker(worker_env, tmp_path / "worker.log")
    try:
        yield handle
    finally:
        handle.kill()
        celery_app.conf.task_always_eager = True
        log = (
            (tmp_path / "worker.log").read_text(errors="replace")
            if (tmp_path / "worker.log").exists()
            else ""
        )
        if "Traceback" in log:
            print(log[-4000:])


def wait_until(predicate, *, timeout: float, every: float = 0.1, on_tick=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if on_tick:
            on_tick()
        time.sleep(every)
    return predicate()


def statuses() -> Counter:
    return Counter(Message.objects.values_list("status", flat=True))


def test_real_worker_sends_due_reminders_once_and_survives_a_sigkill(event, worker, received):
    # Part 1: reminders created by the service; the ones whose time has come go out exactly once.
    session = event.sessions.get()
    session.date = timezone.localdate() + datetime.timedelta(days=5)
    session.save()
    event.start_date, event.end_date = session.date, session.date
    event.save()
    registrations = [
        ticket_for(event, email=f"p{i}@example.org").attendee.registration for i in range(5)
    ]
    for registration in registrations:
        services.registration_reminders_sync(registration_id=registration.pk)
    reminders = Message.objects.filter(purpose="reminder")
    assert reminders.count() == 5 * 2 * 2
    # Time passes: the two-day reminders become due, the three-hour ones are still ahead.
    reminders.filter(offset_minutes=2880).update(
        scheduled_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    due_keys = set(reminders.filter(offset_minutes=2880).values_list("idempotency_key", flat=True))

    worker.start()
    messages_dispatch_due_task.delay()
    messages_dispatch_due_task.delay()  # as if beat fired twice
    assert wait_until(lambda: reminders.filter(status="sent").count() == len(due_keys), timeout=30)
    messages_dispatch_due_task.delay()
    wait_until(lambda: not reminders.filter(status="sending").exists(), timeout=5)
    assert received.counts() == Counter(dict.fromkeys(due_keys, 1))
    assert reminders.filter(status="scheduled").count() == 10

    # Part 2: a large batch, SIGKILL in the middle, restart, and account for every message.
    now = timezone.now()
    batch = []
    for n in range(400):
        channel = "sms" if n % 2 else "email"
        message, _ = services.message_schedule(
            idempotency_key=f"bulk:{n}:{channel}",
            channel=channel,
            recipient=f"+2126{n:08d}" if channel == "sms" else f"bulk{n}@example.org",
            language="fr",
            purpose="reminder",
            subject="Rappel",
            body=f"Message {n}",
            scheduled_at=now,
            event=event,
        )
        batch.append(message.idempotency_key)
    before = len(received)
    messages_dispatch_due_task.delay()
    assert wait_until(lambda: len(received) - before >= 80, timeout=30), (
        "worker too slow to reach the kill point"
    )
    worker.kill()
    at_kill = dict(
        Message.objects.filter(idempotency_key__in=batch).values_list("idempotency_key", "status")
    )
    sent_at_kill = {key for key, status in at_kill.items() if status == "sent"}
    in_flight = {key for key, status in at_kill.items() if status == "sending"}
    assert 0 < len(sent_at_kill) < len(batch), "the kill must land in the middle of the batch"

    worker.start()
    bulk = Message.objects.filter(idempotency_key__in=batch)
    assert wait_until(
        lambda: bulk.filter(status="sent").count() == len(batch),
        timeout=40,
        every=0.5,
        # The beat's job: dispatch again; rows of the dead worker come back once their lease ends.
        on_tick=messages_dispatch_due_task.delay,
    ), statuses()

    counts = received.counts()
    duplicates = {key: n for key, n in counts.items() if key in set(batch) and n > 1}
    print(
        f"\nSIGKILL test: {len(batch)} messages, {len(sent_at_kill)} sent before the kill, "
        f"{len(in_flight)} claimed at the kill, {len(duplicates)} delivered twice: {sorted(duplicates)}"
    )
    assert set(batch) <= set(counts), "every message arrived"
    assert all(counts[key] == 1 for key in sent_at_kill), (
        "a message recorded as sent was sent again"
    )
    assert set(duplicates) <= in_flight, "only messages in flight at the kill may be duplicated"
    assert len(duplicates) <= CONCURRENCY
    assert all(n == 2 for n in duplicates.values())
    worker.stop()
