"""Benchmarks (`make bench`): scripts that print figures, never part of `make test`."""

import os

# The default, BENCH_SCALE=1, runs the full sizes: first scans of 20,000 distinct tickets,
# 10,000 tickets issued, 10,000 reminders (about 6–7 minutes on a quiet 2-core machine). A smaller
# share (e.g. 0.25) gives a quicker look. The figures sizes (10k, 100k, 1M rows) never scale.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))


def scaled(full_size: int) -> int:
    return max(int(full_size * SCALE), 1)
