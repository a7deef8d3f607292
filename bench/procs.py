"""Child processes of the benchmarks (gunicorn, the load driver, a Celery worker) and their
peak memory, read from /proc (VmHWM: the resident set's high-water mark)."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parent.parent


def vm_hwm_kib(pid: int) -> int:
    """Peak resident memory of `pid` in KiB (0 if the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_pids(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def wait_for_url(url: str, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")
        time.sleep(0.2)


def gunicorn_start(*, port: int, workers: int = 2) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    wait_for_url(f"http://127.0.0.1:{port}/healthz")
    return process


def celery_worker_start(*, concurrency: int = 2) -> subprocess.Popen:
    """A real Celery worker on the Redis broker (prefork), with the benchmark's no-op task."""
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "--quiet",
            "worker",
            "--include",
            "bench.tasks",
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_run(**options) -> dict:
    """Run bench/scan_load.py in its own process and return its JSON result."""
    arguments = [PYTHON, "-m", "bench.scan_load"]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(flag)
        elif value not in (None, False):
            arguments += [flag, str(value)]
    completed = subprocess.run(arguments, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"load driver failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
