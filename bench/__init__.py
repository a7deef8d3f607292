"""Benchmarks (`make bench`): scripts that print figures, never part of `make test`."""

import os

# BENCH_SCALE=1 runs the full sizes: first scans of 20,000 distinct tickets, 10,000
# tickets issued, 10,000 reminders. The default, a quarter, keeps `make bench` well inside its
# 15 minutes on a shared 2-core machine. The figures sizes (10k, 100k, 1M rows) never scale.
SCALE = float(os.environ.get("BENCH_SCALE", "0.25"))


def scaled(full_size: int) -> int:
    return max(int(full_size * SCALE), 1)
