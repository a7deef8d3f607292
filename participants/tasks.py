"""Celery tasks: thin, idempotent, ids only; the work is in participants.services."""

from celery import shared_task

from core.tasks import RetryingTask

from .services.matching import duplicates_find_for


@shared_task(base=RetryingTask)
def duplicates_find_task(participant_ids: list[int]) -> int:
    """Record the possible duplicates of people just seen for the first time. Running it again
    records nothing more (one row per pair)."""
    return duplicates_find_for(participant_ids=participant_ids)
