"""Partner reminders end to end with a real Celery worker (subprocess), Redis, PostgreSQL and a
real SMTP server: a partner who has not answered gets one reminder per period, whatever the
number of runs, and none once they have answered.

The worker lives in another process: waits poll the database with a deadline."""

import datetime

import pytest
from django.utils import timezone

from forums.models import ForumSummary
from forums.services_responses import response_submit
from forums.tasks import partner_reminders_task
from notifications.models import Message, Purpose
from tests.factories import ContactFactory, ForumSettingsFactory
from tests.notifications.test_integration import wait_until

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]
DAY = datetime.timedelta(days=1)


def asked_days_ago(event, days: int):
    ForumSummary.objects.filter(event=event).update(released_at=timezone.now() - days * DAY)


def test_unanswered_partner_is_reminded_once_per_period_and_not_after_answering(
    closed_forum,
    worker,
    received,
):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    contact = ContactFactory(
        organization=closed_forum.education, email="dpen@example.ma", preferred_language="ar"
    )
    reminders = Message.objects.filter(purpose=Purpose.PARTNER_REMINDER)
    asked_days_ago(event, 31)
    worker.start()
    partner_reminders_task.delay()
    partner_reminders_task.delay()  # as if beat fired twice in the period
    assert wait_until(lambda: reminders.filter(status="sent").count() == 1, timeout=40)
    partner_reminders_task.delay()
    assert not wait_until(lambda: reminders.count() > 1, timeout=4)
    first = reminders.get()
    assert first.language == "ar" and first.recipient == "dpen@example.ma"
    assert received.counts()[first.idempotency_key] == 1

    asked_days_ago(event, 38)  # a period later, still no answer
    partner_reminders_task.delay()
    assert wait_until(lambda: reminders.filter(status="sent").count() == 2, timeout=30)

    for rec in ("enrol", "tutor"):
        response_submit(
            contact=contact,
            recommendation_id=closed_forum.recommendations[rec].pk,
            position="accepted",
        )
    asked_days_ago(event, 45)  # the next period: answered, so nothing
    partner_reminders_task.delay()
    partner_reminders_task.delay()
    assert not wait_until(lambda: reminders.count() > 2, timeout=5)
    keys = set(reminders.values_list("idempotency_key", flat=True))
    assert wait_until(lambda: all(received.counts()[key] == 1 for key in keys), timeout=10)
    assert sum(received.counts()[key] for key in keys) == 2
