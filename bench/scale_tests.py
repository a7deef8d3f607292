"""Beyond one machine: the tests that prove it, run by `make bench` (BENCH_ONLY=scale_tests) in
pytest subprocesses on the benchmark's PostgreSQL and Redis, with their outcome and the figures
each test records (`record_property`, read back from pytest's JUnit XML):

- the read replica (tests/attendance/test_replica.py), PgBouncer (tests/attendance/test_pgbouncer.py)
  and two-node (tests/test_two_nodes.py) tests;
- the door's and the outbox's concurrency tests with every connection through a PgBouncer in
  transaction mode (TEST_THROUGH_PGBOUNCER=1, DB_PREPARED_STATEMENTS=0; see tests/conftest.py).
  The whole quick suite through PgBouncer is too long for a benchmark: bench/RESULTS.md records
  its last run and the command."""

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCALING_TESTS = [
    "tests/attendance/test_replica.py",
    "tests/attendance/test_pgbouncer.py",
    "tests/test_two_nodes.py",
]
# Where the guarantees rest on the database under concurrency (one admission, exactly-once
# sends, receipts and replies handled once), plus a real Celery worker end to end.
THROUGH_PGBOUNCER = [
    "tests/attendance/test_scan_race.py",
    "tests/attendance/test_sync_race.py",
    "tests/attendance/test_card_scan_race.py",
    "tests/attendance/test_group_admission_race.py",
    "tests/attendance/test_figure_tallies.py",
    "tests/attendance/test_scan_path.py",
    "tests/notifications/test_outbox.py",
    "tests/notifications/test_outbox_batches.py",
    "tests/notifications/test_receipts_race.py",
    "tests/notifications/test_fallback_race.py",
    "tests/notifications/test_inbound_race.py",
    "tests/notifications/test_integration.py",
]


def pytest_run(*, paths: list[str], xml: Path, env: dict, marks: str = "") -> dict:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [f"--junitxml={xml}", "-o", "junit_family=xunit1", *paths]
    if marks:
        command += ["-m", marks]
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return {
        "command": " ".join(["pytest", *command[3:]]),
        "returncode": completed.returncode,
        "seconds": time.monotonic() - started,
        "tail": completed.stdout[-1500:],
        "tests": junit_cases(xml) if xml.exists() else [],
    }


def junit_cases(xml: Path) -> list[dict]:
    cases = []
    # The file our own pytest run just wrote.
    for case in ET.parse(xml).iter("testcase"):  # noqa: S314
        outcome = "passed"
        for tag in ("failure", "error", "skipped"):
            found = case.find(tag)
            if found is not None:
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                reason = (found.get("message") or "")[:200]
                break
        else:
            reason = ""
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        cases.append(
            {
                "name": f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}",
                "outcome": outcome,
                "reason": reason,
                "seconds": float(case.get("time") or 0),
                "figures": properties,
            }
        )
    return cases


def scale_tests_benchmark(*, out_dir: Path, log=print) -> dict:
    # The benchmark's services; each pytest run makes its own test database (test_<name>).
    env = {**os.environ, "REQUIRE_SERVICES": "1"}
    log("scaling tests: read replica, PgBouncer, two nodes")
    scaling = pytest_run(paths=SCALING_TESTS, xml=out_dir / "scaling-tests.xml", env=env)
    log("scaling tests: door and outbox concurrency tests through PgBouncer (transaction mode)")
    pooled = pytest_run(
        paths=THROUGH_PGBOUNCER,
        xml=out_dir / "pgbouncer-tests.xml",
        env={**env, "TEST_THROUGH_PGBOUNCER": "1", "DB_PREPARED_STATEMENTS": "0"},
        marks="not slow",
    )
    return {"scaling": scaling, "through_pgbouncer": pooled}
