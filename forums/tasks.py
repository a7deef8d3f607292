from celery import shared_task

from core.errors import ApplicationError
from events.models import Event


# A domain refusal (not a forum, not closed) will not change by retrying; anything else might.
@shared_task(
    autoretry_for=(Exception,),
    dont_autoretry_for=(ApplicationError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
)
def forum_summary_build_task(event_id: int) -> None:
    """Build the first summary of a closed forum; safe to run twice (the service is idempotent)."""
    from .services import summary_build

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    summary_build(event=event)
