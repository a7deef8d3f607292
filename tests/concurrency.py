"""Calling one function from many threads released at the same instant, each thread with its own
PostgreSQL connection: how the exactly-once guarantees are proven (a double click, two tabs,
two workers)."""

import threading

from django.db import connection


def run_at_once(function, *, times: int) -> list:
    """The results of `times` simultaneous calls of `function()`; the first error is raised
    after every thread has finished, so that a failing thread cannot pass unnoticed."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def call():
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as exc:  # raised below, once every thread is done
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
