"""Running jobs at the same moment on real threads, for the invariants that must hold under
concurrency on PostgreSQL (one admission per ticket, one summary per version...)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_together(
    jobs: list[Callable[[], Any]], *, timeout: float = 30
) -> tuple[list[Any], list[BaseException]]:
    """Start every job on its own thread (and so its own database connection) once all are ready;
    return what they returned, in the order they finished, and what they raised: a thread must
    not hide a failure, so the caller asserts on the errors too."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait(timeout=timeout)
            results.append(job())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    return results, errors


def run_at_once(function: Callable[[], Any], *, times: int) -> list[Any]:
    """The results of `times` simultaneous calls of `function()`; the first error is raised once
    every thread has finished, so a failing thread cannot pass unnoticed."""
    results, errors = run_together([function] * times)
    if errors:
        raise errors[0]
    return results
