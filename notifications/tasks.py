"""Celery tasks: thin, idempotent, ids only; the work is in notifications.services."""

from celery import shared_task

from core.tasks import RetryingTask

from . import services


@shared_task(base=RetryingTask)
def messages_dispatch_due_task() -> int:
    """Every NOTIFICATIONS_DISPATCH_SECONDS (beat): queue drain tasks for the due rows."""
    return services.messages_dispatch()


@shared_task(base=RetryingTask)
def messages_send_due_task() -> int:
    """Claim and send due rows batch by batch; queue another drain if time ran out first."""
    drained = services.messages_send_due()
    for batch in drained.batches:
        _send_again_later(batch)
    if drained.more:
        messages_send_due_task.delay()
    return drained.sent


@shared_task(base=RetryingTask)
def messages_send_batch_task(claim_token: str, message_ids: list[int]) -> int:
    batch = services.messages_send_batch(message_ids=message_ids, claim_token=claim_token)
    _send_again_later(batch)
    return batch.count("sent")


def _send_again_later(batch) -> None:
    # Rows to retry keep their lease over the wait: this task comes back for them then, and if it
    # is lost, the dispatcher claims them once the lease ends.
    for delay, ids in batch.retries().items():
        messages_send_batch_task.apply_async((batch.claim_token, ids), countdown=delay)


@shared_task(base=RetryingTask, bind=True, max_retries=None)
def message_send_task(self, message_id: int, claim_token: str) -> str:
    # One row (tasks queued before batches existed, and callers that hold a single claim).
    # Attempts are counted in the database (NOTIFICATIONS_MAX_ATTEMPTS), not by Celery, so that a
    # lost task and a re-claim by the dispatcher share the same budget.
    outcome = services.message_send(message_id=message_id, claim_token=claim_token)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(base=RetryingTask)
def registration_notifications_schedule_task(registration_id: int) -> None:
    services.registration_notifications_schedule(registration_id=registration_id)


@shared_task(base=RetryingTask)
def ticket_notifications_update_task(ticket_id: int, confirm: bool) -> None:
    services.ticket_notifications_update(ticket_id=ticket_id, confirm=confirm)


@shared_task(base=RetryingTask)
def sessions_rescheduled_task(event_id: int, session_ids: list[int]) -> None:
    services.sessions_rescheduled_handle(event_id=event_id, session_ids=session_ids)


@shared_task(base=RetryingTask)
def event_cancellation_task(event_id: int) -> None:
    services.event_cancellation_handle(event_id=event_id)


@shared_task(base=RetryingTask)
def event_followups_task(event_id: int) -> int:
    return services.event_followups_schedule(event_id=event_id)


@shared_task(base=RetryingTask)
def followups_due_task() -> int:
    """Every quarter of an hour (beat): follow-ups for events whose last session is over."""
    event_ids = services.events_followups_due()
    for event_id in event_ids:
        event_followups_task.delay(event_id)
    return len(event_ids)


@shared_task(base=RetryingTask)
def message_fallback_task(message_id: int, reason: str) -> int | None:
    fallback = services.message_fall_back(message_id=message_id, reason=reason)
    return fallback.pk if fallback else None


@shared_task(base=RetryingTask)
def messages_fallback_sweep_task() -> int:
    """Every minute (beat): messages not delivered in time go by the person's next channel."""
    return services.messages_fallback_sweep()


@shared_task(base=RetryingTask)
def inbound_forget_unmatched_task() -> int:
    """Daily (beat): replies matched to no registration are not kept beyond their time."""
    return services.inbound_forget_unmatched()
