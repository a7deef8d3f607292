"""Every Celery task of ours retries transient errors the same way (core.tasks.RetryingTask)."""

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError

from config.celery import app
from core.tasks import MAX_RETRIES, TRANSIENT_ERRORS, RetryingTask

OUR_APPS = tuple(f"{name}." for name in settings.PROJECT_APPS)
calls: list[int] = []


@app.task(base=RetryingTask, name="tests.flaky_task")
def flaky_task(failures: int, error: str) -> int:
    calls.append(1)
    if len(calls) <= failures:
        raise OperationalError("server closed the connection") if error == "db" else ValueError()
    return len(calls)


def our_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}


def test_every_task_of_ours_uses_the_retry_policy():
    tasks = our_tasks()
    assert {name.split(".")[0] for name in tasks} >= {"notifications", "events", "forums"}
    for name, task in tasks.items():
        assert isinstance(task, RetryingTask), name
        assert tuple(task.autoretry_for) == TRANSIENT_ERRORS, name
        assert task.retry_backoff and task.retry_jitter and task.acks_late, name
        # autoretry wraps run() only when the policy was in place at registration time
        assert hasattr(task, "_orig_run"), name


@pytest.fixture
def worker_like():
    """Replay retries in-process, as a worker would, instead of surfacing the first one."""
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def reset_calls():
    calls.clear()
    yield
    calls.clear()


def test_transient_error_asks_celery_for_a_retry(reset_calls):
    # As the tests run tasks (eager, errors propagated), the retry request itself surfaces.
    with pytest.raises(Retry) as retry:
        flaky_task.delay(1, "db")
    assert isinstance(retry.value.exc, OperationalError)
    assert 0 <= retry.value.when <= 1  # first backoff step, jittered


def test_transient_error_is_retried_until_it_succeeds(reset_calls, worker_like):
    # .result, not .get(): get() refuses to run while another test's eager task is on the stack.
    result = flaky_task.delay(2, "db")
    assert (result.state, result.result) == ("SUCCESS", 3)


def test_transient_error_gives_up_after_max_retries(reset_calls, worker_like):
    result = flaky_task.delay(MAX_RETRIES + 5, "db")
    assert isinstance(result.result, OperationalError)
    assert len(calls) == MAX_RETRIES + 1


def test_other_errors_are_not_retried(reset_calls):
    with pytest.raises(ValueError):
        flaky_task.delay(1, "bug")
    assert len(calls) == 1


def test_every_beat_entry_names_a_task_of_ours():
    tasks = our_tasks()
    assert settings.CELERY_BEAT_SCHEDULE
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks
