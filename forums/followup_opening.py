"""The follow-up report that opens a forum, built and sent on its own when the forum opens: the
start of its first session (the time participants are let in; the event's dates alone say no
hour). Celery beat looks every quarter of an hour for forums of a programme that opened lately
and whose previous forum put its recommendations to partners (its summary was released); each
gets one report, built from that moment's data and released straight away, then one outbox
e-mail per partner contact (forums.followup_delivery, keyed by report version and contact).

Once per forum: the forum's event row is locked, and a forum that already has a released report
(sent by this, or by an organizer before the opening) gets nothing more. Two beats, a retried
task, two workers, a close and a reopening: one report, one e-mail per contact. An organizer may
still build and send a newer version by hand."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from events.models import Event, EventKind, EventStatus

from . import selectors_followup as reads
from .followup_delivery import followup_report_build
from .followup_report import previous_forum
from .models import FollowupReport

# A forum that opened longer ago than this is not caught up with (beat was down for weeks, or
# the forum is an old one imported): its organizer sends the report by hand if still wanted.
OPENING_WINDOW = datetime.timedelta(days=7)
OPEN_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED)


def forum_opens_at(event: Event) -> datetime.datetime | None:
    first = event.sessions.order_by("date", "start_time").first()
    if first is None:
        return None
    return datetime.datetime.combine(
        first.date, first.start_time, tzinfo=timezone.get_default_timezone()
    )


def _has_previous_put_to_partners(event: Event) -> bool:
    previous = previous_forum(event)
    return previous is not None and reads.forum_asked_at(event=previous) is not None


def forums_opening_due(*, now=None) -> list[int]:
    """Forums that opened within OPENING_WINDOW, with a previous forum whose recommendations
    went to partners, and no released follow-up report yet."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        Event.objects.filter(
            kind=EventKind.FORUM,
            status__in=OPEN_STATUSES,
            start_date__lte=today,
            start_date__gte=today - OPENING_WINDOW,
        )
        .exclude(followup_reports__released_at__isnull=False)
        .order_by("start_date", "pk")
    )
    due = []
    for event in candidates:
        opens = forum_opens_at(event)
        if opens is not None and opens <= now and _has_previous_put_to_partners(event):
            due.append(event.pk)
    return due


def followup_report_open(*, event_id: int, now=None) -> FollowupReport | None:
    """Build and release the opening report of a forum that has opened; None when it is not
    due or already sent (idempotent under the event's row lock)."""
    from .tasks import forum_followup_deliver_task

    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.kind != EventKind.FORUM or event.status not in OPEN_STATUSES:
            return None
        if event.followup_reports.filter(released_at__isnull=False).exists():
            return None
        opens = forum_opens_at(event)
        if opens is None or opens > now or not _has_previous_put_to_partners(event):
            return None
        report = followup_report_build(event=event)
        report.released_at = now
        report.save(update_fields=["released_at"])
        audit_record(
            actor=None,
            action="forums.followup_released",
            target=report,
            detail={"number": report.number, "on_opening": True},
        )
        report_id = report.pk
        transaction.on_commit(lambda: forum_followup_deliver_task.delay(report_id))
    return report
