from celery import shared_task

from core.tasks import RetryingTask
from events.models import Event


@shared_task(base=RetryingTask)
def forum_summary_build_task(event_id: int) -> None:
    """Build the first summary of a closed forum, as a draft: it goes to the partners only when
    an organizer has previewed and confirmed it. Safe to run twice (the build is idempotent)."""
    from .services import summary_build

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    summary_build(event=event)


@shared_task(base=RetryingTask)
def forum_summary_deliver_task(summary_id: int) -> None:
    """Queue the e-mails of one released summary version in the outbox; idempotent per
    (version, contact)."""
    from .delivery import summary_deliver
    from .models import ForumSummary

    if ForumSummary.objects.filter(pk=summary_id).exists():
        summary_deliver(summary_id=summary_id)


@shared_task(base=RetryingTask)
def partner_reminders_task() -> None:
    """Remind partner organisations of the answers and commitment updates they owe (beat);
    once per period per contact, whatever the number of runs."""
    from .reminders import partner_reminders_send

    partner_reminders_send()


@shared_task(base=RetryingTask)
def forum_followup_deliver_task(report_id: int) -> None:
    """Queue the e-mails of one released follow-up report; idempotent per (version, contact)."""
    from .followup_delivery import followup_deliver
    from .models import FollowupReport

    if FollowupReport.objects.filter(pk=report_id).exists():
        followup_deliver(report_id=report_id)


@shared_task(base=RetryingTask)
def forum_followup_open_task(event_id: int) -> None:
    """Build and send the follow-up report of a forum that has opened; once per forum."""
    from .followup_opening import followup_report_open

    followup_report_open(event_id=event_id)


@shared_task(base=RetryingTask)
def followup_reports_opening_task() -> int:
    """Every quarter of an hour (beat): the forums that opened and still owe their partners the
    follow-up report of the previous forum."""
    from .followup_opening import forums_opening_due

    event_ids = forums_opening_due()
    for event_id in event_ids:
        forum_followup_open_task.delay(event_id)
    return len(event_ids)
