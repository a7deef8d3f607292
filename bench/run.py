"""`make bench`: create the benchmark database, run every benchmark, print the table.

Everything runs on PostgreSQL (its own database) and Redis (its own db number) with production
settings. Each figure is a ratio to a baseline measured in the same run on the same stack."""

import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"

os.environ.update(
    {
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/multaqa_bench"
        ),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MULTAQA_BENCH": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "SMS_BACKEND": "notifications.sms.backends.file.SmsBackend",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
        # One door token drives hundreds of scans a second here; the per-token limit (sized for a
        # real gate) would answer 429. The limit's own cost, one cache increment, stays measured.
        "DOOR_TOKEN_RATE_LIMIT_HITS": "100000000",
        "MULTAQA_VAR_DIR": str(OUT_DIR / "var"),
    }
)
BENCH_PORT = int(os.environ.get("BENCH_PORT", "8765"))
# BENCH_ONLY=scan (or scan_cpu, offline_pack, figures, figures_1m, tickets, reminders,
# offline_hash, registrations, scanner_latency, receipts, nodes, scale_tests, memory;
# comma-separated) runs only those parts: for working on one path. The full table needs them all.
# `lighthouse` (page scores, bench/lighthouse.py) runs only when named: it scores pages, not the
# door's or the figures' speed.
PARTS = (
    "scan",
    "scan_cpu",
    "offline_pack",
    "figures",
    "figures_1m",
    "tickets",
    "reminders",
    "offline_hash",
    "registrations",
    "scanner_latency",
    "receipts",
    "nodes",
    "scale_tests",
    "memory",
    "lighthouse",
)
NAMED_ONLY = {"lighthouse"}
ONLY = {part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()}


def wanted(part: str) -> bool:
    if part in NAMED_ONLY:
        return part in ONLY
    return not ONLY or part in ONLY


def database_recreate() -> None:
    """Drop and create the benchmark database, then migrate it."""
    import psycopg
    from dj_database_url import parse

    config = parse(os.environ["DATABASE_URL"])
    name = config["NAME"]
    if not name.startswith("multaqa_bench"):
        sys.exit(f"refusing to drop {name!r}: the benchmark database must be named multaqa_bench*")
    admin = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def _stop_on_sigterm(signum, frame):
    # Turn `kill` into an exception so that the finally blocks stop gunicorn and Celery.
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if unknown := ONLY - set(PARTS):
        sys.exit(
            f"BENCH_ONLY: unknown part(s) {', '.join(sorted(unknown))}; use {', '.join(PARTS)}"
        )
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    offline_hash_results = None
    if wanted("offline_hash"):
        # Needs no database: CPU time of one hash, on the server and in Chromium.
        from . import offline_hash

        log("offline pack: short-code hash time (server, Chromium, Chromium 4x throttled)")
        offline_hash_results = offline_hash.main()
        if {"offline_hash"} == ONLY:
            return
    log("creating and migrating the benchmark database")
    database_recreate()
    redis_flush()

    import django

    django.setup()
    if wanted("lighthouse"):
        from .lighthouse import lighthouse_benchmark

        lighthouse_benchmark(port=BENCH_PORT, out_dir=OUT_DIR, log=log)
        if not ONLY - {"lighthouse", "offline_hash"}:
            return
    from . import memory_bench, report, scan_bench
    from .data import door_data_create
    from .figures_bench import figures_benchmark
    from .registrations_bench import registrations_benchmark
    from .reminders_bench import reminders_benchmark
    from .tickets_bench import tickets_benchmark

    results: dict = {}
    measured = sum(count for _concurrency, count in scan_bench.LEVELS)
    extras = scan_bench.WARMUP + 100 + 400
    # The scanner's latency needs only the door (it issues its own few tickets), the receipts
    # only an event, the national figures, the offline pack, the two nodes and the scaling tests
    # their own data: no pool for them alone; the scan CPU part its own few thousand first scans.
    from .scan_cpu import TICKETS as SCAN_CPU_TICKETS

    own_data = {"scanner_latency", "receipts", "figures_1m", "offline_pack", "nodes"}
    own_data |= {"scale_tests", "memory"}
    if ONLY and own_data >= ONLY:
        pool = 0
    elif ONLY and own_data | {"scan_cpu"} >= ONLY:
        pool = SCAN_CPU_TICKETS
    else:
        pool = scan_bench.TICKET_POOL + extras
    # The memory part's warm-up scans tickets of its own, after everything else's.
    memory_scans = memory_bench.SCANS if wanted("memory") else 0
    if pool:
        log(f"door data: {pool:,} tickets ({measured:,} to scan) + extras")
    door = door_data_create(tickets=pool + memory_scans)
    secrets_file = OUT_DIR / "secrets.txt"
    secrets_file.write_text("\n".join(door.secrets[:pool]) + "\n")
    spare = door.secrets[scan_bench.TICKET_POOL + scan_bench.WARMUP + 100 : pool]

    if wanted("scan"):
        results.update(scan_part(door=door, secrets_file=secrets_file, spare=spare, pool=pool))
    if wanted("scan_cpu"):
        from .scan_cpu import scan_cpu_benchmark

        log("web worker CPU per request: first scans against repeat scans (gunicorn)")
        results["scan_cpu"] = scan_cpu_benchmark(
            door=door, secrets_file=secrets_file, port=BENCH_PORT, log=log
        )
    if wanted("offline_pack"):
        from .offline_pack import offline_pack_benchmark

        log("offline pack of 20,000 tickets: size, build, ready on a throttled phone, lookups")
        results["offline_pack"] = offline_pack_benchmark(
            programme=door.event.programme, port=BENCH_PORT, log=log
        )
    if wanted("figures"):
        log("figures at 10k, 100k, 1M attendances")
        results["figures"] = figures_benchmark(log=log)
    if wanted("figures_1m"):
        from .figures_national import figures_national_benchmark

        log("figures at national scale: 1M attendances, 300 events, 100,000 people")
        results["figures_1m"] = figures_national_benchmark(log=log)
    if wanted("tickets"):
        log("issuing tickets")
        results["tickets"] = tickets_benchmark(programme=door.event.programme)
    if wanted("registrations"):
        log("registrations with and without participant linking (interleaved)")
        results["registrations"] = registrations_benchmark(programme=door.event.programme)
    if wanted("reminders"):
        log("reminders through Celery + Redis")
        results["reminders"] = reminders_benchmark(event=door.event, log=log)
    if wanted("receipts"):
        from .receipts_bench import receipts_benchmark

        log("delivery receipts through the WhatsApp webhook (batches of 1,000 and single)")
        results["receipts"] = receipts_benchmark(programme=door.event.programme, log=log)
    if wanted("scanner_latency"):
        from .scanner_latency import scanner_latency_benchmark

        log("scanner in Chromium: QR in front of the camera / typed code to result on screen")
        results["scanner_latency"] = scanner_latency_benchmark(
            event=door.event, raw_token=door.raw_token, port=BENCH_PORT, log=log
        )
    if wanted("nodes"):
        from .nodes_bench import nodes_benchmark

        log("two application nodes: gunicorn x2 and Celery worker x2 on one PostgreSQL and Redis")
        results["nodes"] = nodes_benchmark(
            ports=[BENCH_PORT + 1, BENCH_PORT + 2], out_dir=OUT_DIR, log=log
        )
    if wanted("scale_tests"):
        from .scale_tests import scale_tests_benchmark

        results["scale_tests"] = scale_tests_benchmark(out_dir=OUT_DIR, log=log)
    if wanted("memory"):
        log("memory: web, worker and beat as docker-compose.yml runs them, warmed up, PSS")
        results["memory"] = memory_bench.memory_benchmark(
            door=door,
            secrets=door.secrets[pool:],
            port=BENCH_PORT,
            out_dir=OUT_DIR,
            log=log,
        )

    if offline_hash_results is not None:
        results["offline_hash"] = offline_hash_results
    results["elapsed_s"] = time.monotonic() - started
    results["machine"] = machine_description()
    report.print_report(results)
    report.save_json(results, OUT_DIR / "results.json")


def scan_part(*, door, secrets_file: Path, spare: list[str], pool: int) -> dict:
    from django.db import connections

    from . import scan_bench

    results = {}
    log("scan path: query count and profile (in-process)")
    results["scan_queries"] = scan_bench.scan_query_counts(
        door=door, first_secret=spare[0], warm_secret=spare[-1]
    )
    results["scan_profile"] = str(
        scan_bench.scan_profile(
            door=door, secrets=spare[1:101], output=OUT_DIR / "scan-profile.txt"
        )
    )
    log("same-ticket storm in the database (threads)")
    results["storm_db"] = {
        "threads": 50,
        "admitted": scan_bench.database_storm(door=door, secret=spare[201], threads=50),
        "rows": scan_bench.admissions_of(spare[201], door.session),
    }
    connections.close_all()
    log("scan throughput under gunicorn (2 workers)")
    results["http"] = scan_bench.http_benchmarks(
        door=door,
        secrets_file=secrets_file,
        extras=door.secrets[scan_bench.TICKET_POOL : pool],
        port=BENCH_PORT,
    )
    return results


def machine_description() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import redis

    redis_version = redis.Redis.from_url(os.environ["REDIS_URL"]).info()["redis_version"]
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(meminfo[1]) / 1024 / 1024, 1),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


if __name__ == "__main__":
    main()
