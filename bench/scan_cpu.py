"""CPU per request of the gunicorn workers for first scans and repeat scans (`BENCH_ONLY=scan_cpu`).

A repeat scan of an admitted ticket writes only its scan log row; the issue asks that it cost at
most 0.75 of a first scan's CPU in the web worker. Wall-clock throughput hides this (the database
and the driver share the machine), so this part reads the workers' own CPU time (utime + stime
in /proc/<pid>/stat, all threads) before and after each block of scans, and divides by the block's
requests. Blocks alternate (first scans of a slice of tickets, then repeat scans of the same slice)
so that a neighbour's burst of load falls on both kinds alike. The driver runs at concurrency 4 in
its own process; PostgreSQL's CPU is not counted (it is not the web worker's)."""

import os
from pathlib import Path

from . import procs, scaled

SCAN_PATH = "/api/v1/checkin/scan"
BLOCKS = 4
BLOCK = scaled(1000)
WARMUP = 300
CONCURRENCY = 4
TICKETS = WARMUP + BLOCKS * BLOCK
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def workers_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def fresh_session(door):
    """A second all-day session of the door's event: the pool's tickets (valid for every session)
    are first scans there even after the `scan` part admitted them to the first one."""
    from tests.factories import SessionFactory

    return SessionFactory(
        event=door.event,
        date=door.session.date,
        start_time=door.session.start_time,
        end_time=door.session.end_time,
        venue=door.session.venue,
    )


def scan_cpu_benchmark(*, door, secrets_file: Path, port: int, log) -> dict:
    base = f"http://127.0.0.1:{port}"
    session = fresh_session(door)
    common = {"token": door.raw_token, "session": session.pk, "secrets": secrets_file}
    server = procs.gunicorn_start(port=port)
    totals = {"first": [0.0, 0], "repeat": [0.0, 0]}
    statuses = {"first": {}, "repeat": {}}
    try:
        workers = procs.child_pids(server.pid)
        procs.load_run(
            url=base + SCAN_PATH, start=0, count=WARMUP, concurrency=CONCURRENCY, **common
        )
        procs.load_run(
            url=base + SCAN_PATH, start=0, count=WARMUP, concurrency=CONCURRENCY, **common
        )
        for block in range(BLOCKS):
            start = WARMUP + block * BLOCK
            for kind in ("first", "repeat"):
                before = workers_cpu(workers)
                run = procs.load_run(
                    url=base + SCAN_PATH,
                    start=start,
                    count=BLOCK,
                    concurrency=CONCURRENCY,
                    **common,
                )
                totals[kind][0] += workers_cpu(workers) - before
                totals[kind][1] += run["requests"]
                for status, count in run["statuses"].items():
                    statuses[kind][status] = statuses[kind].get(status, 0) + count
    finally:
        procs.stop(server)
    result = {
        kind: {
            "requests": count,
            "cpu_s": seconds,
            "cpu_ms_per_request": seconds / count * 1000 if count else 0.0,
            "statuses": statuses[kind],
        }
        for kind, (seconds, count) in totals.items()
    }
    first, repeat = result["first"]["cpu_ms_per_request"], result["repeat"]["cpu_ms_per_request"]
    result["ratio"] = repeat / first if first else 0.0
    log(
        f"web worker CPU per scan: first {first:.3f} ms, repeat {repeat:.3f} ms, "
        f"ratio {result['ratio']:.2f} (goal <= 0.75); answers first {statuses['first']}, "
        f"repeat {statuses['repeat']}"
    )
    return result


def scan_cpu_rows(results: dict) -> list[list[str]]:
    cpu = results["scan_cpu"]
    first, repeat = cpu["first"], cpu["repeat"]
    admitted = first["statuses"].get("admitted", 0) == first["requests"]
    repeated = repeat["statuses"].get("already_admitted", 0) == repeat["requests"]
    return [
        [
            "1 scan",
            f"web worker CPU per request, first / repeat ({first['requests']} each, c={CONCURRENCY})",
            f"{first['cpu_ms_per_request']:.3f} / {repeat['cpu_ms_per_request']:.3f} ms",
            "first scan",
            f"{cpu['ratio']:.2f}",
            "<= 0.75",
            "met" if cpu["ratio"] <= 0.75 and admitted and repeated else "NOT MET",
        ]
    ]
