"""Two application nodes on one machine: gunicorn instances and Celery workers, each a process of
its own (own port, own worker name) with the same settings, against one PostgreSQL and one Redis.
What one node cannot see of the other (its memory, its locks, its queue) is what the database
constraints, the row locks and the outbox's claims must cover.

Used by tests/test_two_nodes.py and, at the issue's sizes, by `make bench` (BENCH_ONLY=nodes)."""

import collections
import contextlib
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
from django.utils import timezone

from tests.fakes.json_http import JsonHandler

ROOT = Path(__file__).resolve().parent.parent
SCAN_PATH = "/api/v1/checkin/scan"


def node_environment(*, database_url: str, redis_url: str, **overrides: str) -> dict[str, str]:
    """The environment every node process gets: production settings on the given services."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "two-nodes-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def database_url(database: dict, name: str) -> str:
    """A DATABASE_URL for a Django settings dict (the pytest database: `name`)."""
    password = database["PASSWORD"] or ""
    return (
        f"postgres://{database['USER'] or 'postgres'}:{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{name}"
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master or Celery main process, which stops its children; SIGKILL
    what is left of its process group if it takes too long."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn on port {port} did not start")
        time.sleep(0.2)


@contextlib.contextmanager
def web_nodes(*, env: dict, ports: list[int], workers: int = 2):
    """One gunicorn (master + `workers` sync workers, as docker-compose runs `web`) per port."""
    processes = []
    try:
        for port in ports:
            command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers)]
            command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
        for port, process in zip(ports, processes, strict=True):
            _wait_healthy(port, process)
        yield ports
    finally:
        for process in processes:
            _stop(process)


@contextlib.contextmanager
def worker_nodes(*, envs: list[dict], log_dir: Path, concurrency: int = 2):
    """One Celery worker (prefork, `concurrency` processes) per environment, named node1, node2…"""
    processes, names = [], []
    try:
        for number, env in enumerate(envs, start=1):
            with (log_dir / f"worker-node{number}.log").open("ab") as log:
                command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
                command += [f"--concurrency={concurrency}", "--pool=prefork", "--loglevel=WARNING"]
                command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
                names.append(f"node{number}-{os.getpid()}@{socket.gethostname()}")
                command += ["-n", names[-1]]
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        _wait_answering(names, processes)
        yield processes
    finally:
        for process in processes:
            _stop(process)


def _wait_answering(names: list[str], processes: list, timeout: float = 90) -> None:
    """Until every worker answers a ping: work queued before that could all go to the first."""
    from config.celery import app

    deadline = time.monotonic() + timeout
    while True:
        replies = app.control.ping(destination=names, timeout=1.0)
        if {name for reply in replies for name in reply} >= set(names):
            return
        if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
            raise RuntimeError(f"Celery workers did not all start: {replies}")


@dataclass
class Door:
    session_id: int
    raw_token: str
    secret: str


def door_create(*, ticket_count: int = 1) -> tuple[Door, object]:
    """An event whose door is open all day today (real time: the nodes are other processes), a
    ticket and a door token. Returns the door and the event."""
    from attendance.models import DoorSettings
    from attendance.services.tokens import door_token_create
    from tests.factories import EventFactory, ProgrammeFactory, SessionFactory, TicketFactory

    today = timezone.localdate()
    programme = ProgrammeFactory(
        start_date=today - datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=30)
    )
    event = EventFactory(programme=programme, start_date=today, end_date=today)
    session = SessionFactory(
        event=event, date=today, start_time=datetime.time(0, 0), end_time=datetime.time(23, 59)
    )
    # A whole day on either side: the run may start close to midnight.
    DoorSettings.objects.create(
        event=event, opens_minutes_before=24 * 60, closes_minutes_after=24 * 60
    )
    ticket = TicketFactory(attendee__registration__event=event)
    issued = door_token_create(label="Two nodes gate", events=[event], created_by=None)
    return Door(session_id=session.pk, raw_token=issued.raw_token, secret=ticket.secret), event


def storm(*, door: Door, ports: list[int], scans: int = 100) -> dict:
    """`scans` clients, each on a thread with its own connection, scan one ticket at once, spread
    over the nodes in turn. Returns the answers counted per status and per node."""
    barrier = threading.Barrier(scans)
    lock = threading.Lock()
    statuses: collections.Counter = collections.Counter()
    per_node: dict[int, collections.Counter] = {port: collections.Counter() for port in ports}
    errors: list[BaseException] = []

    def scan(port: int) -> None:
        try:
            with httpx.Client(timeout=60) as client:
                barrier.wait(timeout=60)
                answer = client.post(
                    f"http://127.0.0.1:{port}{SCAN_PATH}",
                    json={
                        "text": door.secret,
                        "session_id": door.session_id,
                        "nonce": str(uuid.uuid4()),
                    },
                    headers={"Authorization": f"Bearer {door.raw_token}"},
                )
            status = (
                answer.json().get("status", "?")
                if answer.status_code == 200
                else f"http_{answer.status_code}"
            )
            with lock:
                statuses[status] += 1
                per_node[port][status] += 1
        except BaseException as error:  # noqa: BLE001 - reported to the caller
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=scan, args=(ports[n % len(ports)],)) for n in range(scans)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return {
        "scans": scans,
        "seconds": time.perf_counter() - started,
        "statuses": dict(statuses),
        "per_node": {port: dict(counts) for port, counts in per_node.items()},
        "errors": [repr(error) for error in errors],
    }


class SmsProvider:
    """A local HTTP server playing the SMS provider: it counts every request per message key, and
    which node sent it (each worker is given its own path, /node1/messages, /node2/messages, only
    so that the count can tell them apart)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: collections.Counter = collections.Counter()
        self.by_node: collections.Counter = collections.Counter()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True

    def url(self, node: int) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/node{node}/messages"

    def worker_envs(self, env: dict[str, str], nodes=(1, 2)) -> list[dict[str, str]]:
        """One worker's environment per node, each sending its SMS here on its own path."""
        return [
            {
                **env,
                "SMS_BACKEND": "notifications.sms.backends.http.SmsBackend",
                "SMS_HTTP_URL": self.url(node),
            }
            for node in nodes
        ]

    def __enter__(self):
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        provider = self

        class Handler(JsonHandler):
            def do_POST(self):
                payload = self.read_json()
                with provider.lock:
                    provider.requests[payload["reference"]] += 1
                    provider.by_node[self.path.split("/")[1]] += 1
                    number = sum(provider.requests.values())
                self.reply_json(200, {"id": f"fake-{number}"})

        return Handler


def reminders_create(*, event, count: int) -> set[str]:
    """`count` SMS reminders of `event`, due a minute ago; returns their idempotency keys."""
    from notifications.models import Channel, Message, Purpose
    from notifications.tokens import recipient_hash

    due = timezone.now() - datetime.timedelta(minutes=1)
    rows = [
        Message(
            channel=Channel.SMS,
            recipient=f"+2126{number:08d}",
            recipient_hash=recipient_hash(Channel.SMS, f"+2126{number:08d}"),
            language="fr",
            purpose=Purpose.REMINDER,
            subject="Rappel",
            body="Rappel : Foire de l'emploi demain à 10h00. Votre code : K7P2-9QXM.",
            idempotency_key=f"two-nodes-reminder-{number}",
            event=event,
            scheduled_at=due,
        )
        for number in range(count)
    ]
    Message.objects.bulk_create(rows, batch_size=2000)
    return {row.idempotency_key for row in rows}


def reminders_drain(*, keys: set[str], timeout: float = 600, tick: float = 5) -> float:
    """Dispatch the due reminders as the beat does (again every `tick` seconds, which a correct
    outbox makes harmless) and wait until none of the messages `keys` names is left to send;
    returns the seconds it took. Other messages of the database (an earlier benchmark part's,
    delivered or still retrying) are not waited for."""
    from notifications.models import Message
    from notifications.services import messages_dispatch

    pending = Message.objects.filter(
        idempotency_key__in=keys,
        status__in=[Message.Status.SCHEDULED, Message.Status.SENDING],
    )
    started = time.perf_counter()
    last_tick = 0.0
    while pending.exists():
        if time.perf_counter() - last_tick > tick:
            messages_dispatch()
            last_tick = time.perf_counter()
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{pending.count()} of {len(keys)} reminders still unsent")
        time.sleep(0.1)
    return time.perf_counter() - started
