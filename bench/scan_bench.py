"""Benchmarks 1 and 2: the scan endpoint under gunicorn against the baseline endpoint, and the
same-ticket storm. Also the in-process query count and profile of the scan path."""

import threading
import uuid
from pathlib import Path

from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attendance.models import Attendance
from attendance.services.scans import checkin_scan

from . import procs, scaled

SCAN_PATH = "/api/v1/checkin/scan"
BASELINE_PATH = "/bench/baseline"
# Every run creates a pool of 20,000 tickets. With BENCH_SCALE=1 each of them is scanned first
# once (2,000 at c=1, 8,000 at c=8, 10,000 at c=32); the default scale scans a quarter of them.
TICKET_POOL = 20_000
LEVELS = [(1, scaled(2000)), (8, scaled(8000)), (32, scaled(10000))]
# Baseline and repeat scans run on the first quarter of each level's tickets: enough requests
# for stable percentiles while the whole `make bench` stays well inside 15 minutes.
SAMPLE_SHARE = 0.25
WARMUP = 300


def _client_scan(client: Client, *, token: str, session_id: int, text: str) -> dict:
    response = client.post(
        SCAN_PATH,
        {"text": text, "session_id": session_id, "nonce": str(uuid.uuid4())},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    return response.json()


def scan_query_counts(*, door, first_secret: str, warm_secret: str) -> dict:
    """SQL statements one scan runs, in-process, for a first and a repeat scan of one ticket,
    once the process has read the door token (a scanner's steady state: the scan endpoint
    recalls tokens for 30 seconds)."""
    client = Client(HTTP_HOST="127.0.0.1")
    _client_scan(client, token=door.raw_token, session_id=door.session.pk, text=warm_secret)
    counts = {}
    for label in ("first", "repeat"):
        with CaptureQueriesContext(connection) as captured:
            answer = _client_scan(
                client, token=door.raw_token, session_id=door.session.pk, text=first_secret
            )
        counts[label] = {"queries": len(captured), "status": answer["status"]}
        counts[f"{label}_sql"] = [query["sql"] for query in captured.captured_queries]
    return counts


def scan_profile(*, door, secrets: list[str], output: Path) -> Path:
    """pyinstrument over first and repeat scans through the whole Django stack (test client)."""
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _round in range(2):
        for secret in secrets:
            _client_scan(client, token=door.raw_token, session_id=door.session.pk, text=secret)
    profiler.stop()
    output.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return output


def database_storm(*, door, secret: str, threads: int) -> int:
    """`threads` threads, each with its own PostgreSQL connection, scan one ticket at once."""
    token = door.event.door_tokens.get()
    barrier = threading.Barrier(threads)
    statuses: list[str] = []

    def scan_once():
        try:
            barrier.wait()
            answer = checkin_scan(
                token=token, text=secret, session=door.session, nonce=uuid.uuid4()
            )
            statuses.append(answer["status"])
        finally:
            connections.close_all()

    workers = [threading.Thread(target=scan_once) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses.count("admitted")


def admissions_of(secret: str, session) -> int:
    return Attendance.objects.filter(
        ticket__secret=secret, session=session, voided_at__isnull=True
    ).count()


def refresh_statistics() -> None:
    """What autovacuum does on a live database within a minute of the first admissions: the
    planner learns that the door's tables are no longer empty. The run is shorter than
    autovacuum's nap, so the benchmark does it once, after the warm-up."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connections.close_all()


def http_benchmarks(*, door, secrets_file: Path, extras: list[str], port: int) -> dict:
    """Scan and baseline at each concurrency under gunicorn; the storm; the workers' peak RSS."""
    base = f"http://127.0.0.1:{port}"
    common = {"token": door.raw_token, "session": door.session.pk, "secrets": secrets_file}
    server = procs.gunicorn_start(port=port)
    results: dict = {"levels": []}
    try:
        # Warm-up (imports, connections, caches) on tickets outside the measured 20,000.
        warm_start = len(secrets_file.read_text().split()) - len(extras)
        procs.load_run(
            url=base + BASELINE_PATH, start=warm_start, count=WARMUP, concurrency=8, **common
        )
        procs.load_run(
            url=base + SCAN_PATH, start=warm_start, count=WARMUP, concurrency=8, **common
        )
        refresh_statistics()
        start = 0
        for concurrency, count in LEVELS:
            run = {"concurrency": concurrency, "tickets": count}
            every = {"start": start, "count": count, "concurrency": concurrency}
            sample = {**every, "count": max(int(count * SAMPLE_SHARE), 50)}
            run["baseline"] = procs.load_run(url=base + BASELINE_PATH, **sample, **common)
            run["first"] = procs.load_run(url=base + SCAN_PATH, **every, **common)
            run["repeat"] = procs.load_run(url=base + SCAN_PATH, **sample, **common)
            results["levels"].append(run)
            start += count
        storm_index = warm_start + WARMUP
        storm = procs.load_run(
            url=base + SCAN_PATH,
            start=storm_index,
            count=100,
            concurrency=100,
            same=True,
            **common,
        )
        storm_secret = secrets_file.read_text().split()[storm_index]
        results["storm_http"] = {
            "scans": storm["requests"],
            "admitted": storm["statuses"].get("admitted", 0),
            "already_admitted": storm["statuses"].get("already_admitted", 0),
            "rows": admissions_of(storm_secret, door.session),
        }
        results["web_worker_peak_kib"] = max(
            (procs.vm_hwm_kib(pid) for pid in procs.child_pids(server.pid)), default=0
        )
    finally:
        procs.stop(server)
    return results
