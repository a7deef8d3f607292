"""Benchmark: the whole application in a small server's memory. Starts what docker-compose.yml
runs for the application (web, worker, beat) with the commands and process settings written
there, warms it up the way a fair day does (scans, figure pages, a batch of reminders drained by
the worker), then reads the proportional set size (PSS, /proc/<pid>/smaps_rollup) of every process:
memory shared between a parent and its forked children counts once, split between them, so the
total is what the processes cost the machine together.

The commands come from docker-compose.yml itself, so the figure cannot drift from what a
deployment runs: only the listening address and the beat's schedule file are rewritten for this
machine, and the environment the benchmark already set (database, Redis, secrets) wins."""

import os
import shlex
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import procs

COMPOSE_FILE = procs.ROOT / "docker-compose.yml"
SERVICES = ("web", "worker", "beat")
SCANS = 2000
REMINDERS = 300
GOAL_MIB = 350
# Figures pages per worker round: both gunicorn workers end up having rendered each of them.
FIGURE_ROUNDS = 6


@dataclass
class Service:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def compose_services(*, port: int, var_dir: Path) -> list[Service]:
    """web, worker and beat as docker-compose.yml runs them, made runnable on this machine."""
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    services = []
    for name in SERVICES:
        spec = compose["services"][name]
        argv = [str(part) for part in spec["command"]]
        services.append(
            Service(name=name, argv=_local_argv(argv, port=port, var_dir=var_dir), env=_env(spec))
        )
    return services


def _local_argv(argv: list[str], *, port: int, var_dir: Path) -> list[str]:
    program, *arguments = argv
    local = [sys.executable, "-m", program] if program != "python" else [sys.executable]
    for argument in arguments:
        if argument.startswith("0.0.0.0:"):
            argument = f"127.0.0.1:{port}"
        elif argument.startswith("/app/var/"):
            argument = str(var_dir / Path(argument).name)
        local.append(argument)
    return local


def _env(spec: dict) -> dict[str, str]:
    """The service's plain settings (process tuning such as MALLOC_ARENA_MAX or
    WEB_CONCURRENCY); deployment values (`${...}`, hosts of the compose network) are left to the
    benchmark's own environment."""
    environment = spec.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {
        key: str(value)
        for key, value in environment.items()
        if key not in os.environ and "${" not in str(value) and "://" not in str(value)
    }


def pss_kib(pid: int) -> int:
    """Proportional set size of `pid` in KiB (0 if the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for child in procs.child_pids(pid):
        pids += process_tree(child)
    return pids


def process_label(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [part.decode(errors="replace") for part in command if part]
    return " ".join(Path(words[0]).name if i == 0 else word for i, word in enumerate(words))[:60]


def _start(service: Service, *, log_dir: Path) -> subprocess.Popen:
    output = (log_dir / f"memory-{service.name}.log").open("w")
    return subprocess.Popen(
        service.argv,
        cwd=procs.ROOT,
        env={**os.environ, **service.env},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def _figure_pages(*, port: int, programme, event, log) -> int:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user, _ = get_user_model().objects.get_or_create(
        username="bench-memory", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    paths = [
        reverse("reporting:programme_dashboard", args=[programme.pk]),
        reverse("reporting:event_dashboard", args=[event.pk]),
        reverse("reporting:programme_figures_xlsx", args=[programme.pk]),
        reverse("reporting:programme_figures_csv", args=[programme.pk]),
    ]
    fetched = 0
    for round_number in range(FIGURE_ROUNDS):
        language = ("fr", "ar", "en")[round_number % 3]
        for path in paths:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; "
                    f"{settings.LANGUAGE_COOKIE_NAME}={language}"
                },
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}")
                response.read()
            fetched += 1
    log(f"memory: {fetched} figure pages and exports fetched")
    return fetched


def _reminders_drained(*, event, log) -> int:
    from notifications.models import Message
    from notifications.services import messages_dispatch

    from .reminders_bench import reminders_create

    reminders_create(event=event, count=REMINDERS, key_prefix="bench-memory-reminder")
    pending = Message.objects.filter(
        idempotency_key__startswith="bench-memory-reminder",
        status__in=[Message.Status.SCHEDULED, Message.Status.SENDING],
    )
    started = time.monotonic()
    messages_dispatch()
    deadline = started + 600
    while pending.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("memory: the worker did not drain the reminders in 10 minutes")
        time.sleep(0.2)
    sent = Message.objects.filter(
        idempotency_key__startswith="bench-memory-reminder", status=Message.Status.SENT
    ).count()
    seconds = time.monotonic() - started
    log(f"memory: {sent} reminders sent by the worker in {seconds:.1f}s")
    return sent


def memory_benchmark(*, door, secrets: list[str], port: int, out_dir: Path, log) -> dict:
    """`secrets`: tickets of `door.event` never scanned before (SCANS of them)."""
    from django.core.management import call_command
    from django.db import connections

    # The image collects static files when it is built; the pages need their manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    var_dir = out_dir / "memory-var"
    var_dir.mkdir(parents=True, exist_ok=True)
    secrets_file = out_dir / "memory-secrets.txt"
    secrets_file.write_text("\n".join(secrets[:SCANS]) + "\n")
    services = compose_services(port=port, var_dir=var_dir)
    for service in services:
        log(f"memory: {service.name}: {shlex.join(service.argv[1:])} {service.env or ''}")
    connections.close_all()
    started = {service.name: _start(service, log_dir=out_dir) for service in services}
    try:
        procs.wait_for_url(f"http://127.0.0.1:{port}/healthz", timeout=60)
        scans = procs.load_run(
            url=f"http://127.0.0.1:{port}/api/v1/checkin/scan",
            token=door.raw_token,
            session=door.session.pk,
            secrets=secrets_file,
            start=0,
            count=SCANS,
            concurrency=8,
        )
        log(f"memory: {scans['requests']} scans, {scans['statuses']}")
        pages = _figure_pages(port=port, programme=door.event.programme, event=door.event, log=log)
        sent = _reminders_drained(event=door.event, log=log)
        time.sleep(2)  # let the pool settle (a child replaced after its task limit, logs flushed)
        rows = []
        for name, process in started.items():
            if process.poll() is not None:
                raise RuntimeError(f"memory: {name} exited with {process.returncode}")
            for pid in process_tree(process.pid):
                rows.append({"service": name, "pid": pid, "process": process_label(pid)})
        for row in rows:
            row["pss_kib"] = pss_kib(row["pid"])
    finally:
        for process in started.values():
            procs.stop(process)
    total = sum(row["pss_kib"] for row in rows)
    by_service = {
        name: sum(row["pss_kib"] for row in rows if row["service"] == name) for name in SERVICES
    }
    print_table(rows, by_service=by_service, total=total)
    return {
        "processes": rows,
        "by_service_kib": by_service,
        "total_kib": total,
        "goal_mib": GOAL_MIB,
        "scans": scans["statuses"],
        "figure_pages": pages,
        "reminders_sent": sent,
        "commands": {service.name: shlex.join(service.argv[1:]) for service in services},
    }


def print_table(rows: list[dict], *, by_service: dict, total: int) -> None:
    print("\nPSS after the warm-up (MiB):")
    for row in rows:
        print(
            f"  {row['service']:7s} {row['pid']:>8d}  {row['pss_kib'] / 1024:7.1f}  {row['process']}"
        )
    for name, kib in by_service.items():
        print(f"  {name:7s} {'all':>8s}  {kib / 1024:7.1f}")
    verdict = "met" if total / 1024 <= GOAL_MIB else "NOT MET"
    print(f"  {'total':7s} {'':>8s}  {total / 1024:7.1f}  (goal <= {GOAL_MIB}: {verdict})\n")
