"""Celery tasks for events: thin wrappers around services."""

from celery import shared_task

from core.tasks import RetryingTask
from events.services.retention import retention_purge_expired


@shared_task(base=RetryingTask, name="events.retention_purge_task")
def retention_purge_task() -> int:
    """Daily (beat): pseudonymise registrations past their programme's retention period."""
    return retention_purge_expired()
