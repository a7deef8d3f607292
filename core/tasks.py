"""The retry policy every Celery task of ours uses: `@shared_task(base=RetryingTask)`.

Only transient errors are retried: the database, the broker, Redis or a mail server being
unreachable or timing out. A bug or a domain refusal (ApplicationError) would fail the same way
on every attempt, so it fails at once and shows up in the logs instead of being replayed.

SMS and e-mail delivery is not retried here: the SMS backends never raise (they return an
SmsResult whose RETRY status means transient) and the outbox maps SMTP errors the same way, then
the send tasks (messages_send_batch_task, message_send_task) retry on their own schedule with the
attempts counted in the database.

Every task is idempotent, so every task is acknowledged late (a worker lost mid-task means the
task runs again, never that it is dropped):
- messages_dispatch_due_task, followups_due_task: claim due rows under a lease;
- messages_send_due_task, messages_send_batch_task, message_send_task: rows held by a claim token
  under a lease, and providers receive an idempotency key;
- the notification scheduling tasks: one outbox row per idempotency key (get_or_create);
- retention_purge_task: pseudonymised registrations are not selected again;
- offline_code_hashes_warm_task: only hashes still missing for the current salt are computed;
- duplicates_find_task: one possible-duplicate row per pair (ignore on conflict);
- forum_summary_build_task, forum_summary_deliver_task: one summary per version, one e-mail per
  (version, contact).
"""

import smtplib

import redis.exceptions
from celery import Task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)

MAX_RETRIES = 5


class RetryingTask(Task):
    """Autoretry transient errors with exponential backoff (1 s, 2 s, 4 s... capped at 10
    minutes) and full jitter, so that workers recovering together do not retry in lockstep."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = MAX_RETRIES
    # A task that retries itself for other reasons (max_retries=None) still gives up on a
    # transient error after MAX_RETRIES.
    retry_kwargs = {"max_retries": MAX_RETRIES}
    acks_late = True
    reject_on_worker_lost = True
