"""Celery tasks for events: thin wrappers around services."""

from celery import shared_task

from events.services.retention import retention_purge_expired


@shared_task(
    name="events.retention_purge_task",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def retention_purge_task() -> int:
    """Daily (beat): pseudonymise registrations past their programme's retention period."""
    return retention_purge_expired()
