"""Celery tasks: thin, idempotent, ids only; the work is in attendance.services."""

from celery import shared_task
from django.db import connection

from core.tasks import RetryingTask

from .reach import FLUSH_BATCH, reach_flush
from .services.offline_keys import offline_code_hashes_warm


@shared_task(base=RetryingTask)
def offline_code_hashes_warm_task(event_id: int) -> int:
    """Hash the short codes an event's offline pack still lacks, one batch per run (the service
    queues the next run while some are left). Running it again computes nothing new."""
    return offline_code_hashes_warm(event_id=event_id)


@shared_task(base=RetryingTask)
def reach_flush_task() -> int:
    """Recompute the programme reach of the people queued since the last flush, so that a figures
    page (or the replica) finds a short queue. A second run finds nothing new to do."""
    return reach_flush(batch=FLUSH_BATCH) if connection.vendor == "postgresql" else 0
