"""Partner reminders through the outbox: due answers and stale commitments, once per period per
contact, in the contact's language, none once everything is answered."""

import datetime

import pytest
from django.utils import timezone

from forums.models import ForumSummary
from forums.reminders import forum_partner_reminders_send
from forums.services_responses import commitment_add, response_submit
from notifications.services import suppression_add
from notifications.tokens import recipient_hash
from tests.factories import ForumSettingsFactory
from tests.forums.conftest import (
    assert_stale_commitment_reminded_until_updated,
    partner_reminders,
    reminded_contacts,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def asked_days_ago(event, days: float):
    ForumSummary.objects.filter(event=event).update(released_at=timezone.now() - days * DAY)


@pytest.fixture
def contacts(closed_forum):
    return reminded_contacts(closed_forum)


def test_nothing_before_the_answers_are_due(closed_forum, contacts):
    ForumSettingsFactory(event=closed_forum.event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(closed_forum.event, 29)
    assert forum_partner_reminders_send(event=closed_forum.event) == []


def test_once_per_period_in_the_contacts_language(closed_forum, contacts):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(event, 31)
    first = forum_partner_reminders_send(event=event)
    assert forum_partner_reminders_send(event=event) == first  # same period: same rows
    sent = {m.recipient: m for m in partner_reminders()}
    assert set(sent) == {"dpen@example.ma", "ds@example.ma"}
    assert "عدد التوصيات التي تنتظر جوابكم: 2" in sent["dpen@example.ma"].body
    assert sent["dpen@example.ma"].language == "ar"
    assert "Recommendations waiting for your answer: 1" in sent["ds@example.ma"].body
    assert "/partners/link/" in sent["ds@example.ma"].body
    asked_days_ago(event, 38)  # the next period
    forum_partner_reminders_send(event=event)
    assert partner_reminders().count() == 4


def test_answering_everything_stops_the_reminders(closed_forum, contacts):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(event, 31)
    forum_partner_reminders_send(event=event)
    for rec in ("enrol", "tutor"):
        response_submit(
            contact=contacts["education_ar"],
            recommendation_id=closed_forum.recommendations[rec].pk,
            position="under_study",
        )
    asked_days_ago(event, 38)
    forum_partner_reminders_send(event=event)
    assert list(partner_reminders().values_list("recipient", flat=True).order_by("id")) == [
        "dpen@example.ma",
        "ds@example.ma",
        "ds@example.ma",
    ]


def test_a_stale_commitment_is_reminded_until_updated(closed_forum, contacts):
    event = closed_forum.event
    ForumSettingsFactory(
        event=event, response_due_days=30, update_every_days=20, reminder_period_days=7
    )
    asked_days_ago(event, 40)
    education = contacts["education_ar"]
    for rec in ("enrol", "tutor"):
        response_submit(
            contact=education,
            recommendation_id=closed_forum.recommendations[rec].pk,
            position="accepted",
        )
    commitment = commitment_add(
        contact=education,
        recommendation_id=closed_forum.recommendations["enrol"].pk,
        what="Note aux écoles",
        by_whom="Scolarité",
        due_on=timezone.localdate() + 100 * DAY,
        now=timezone.now() - 21 * DAY,
    )
    assert_stale_commitment_reminded_until_updated(
        event, education, commitment, next_period=lambda: asked_days_ago(event, 47)
    )


def test_a_contact_who_opted_out_gets_nothing(closed_forum, contacts):
    event = closed_forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(event, 31)
    suppression_add(
        channel="email", hashed_recipient=recipient_hash("email", "ds@example.ma"), source="link"
    )
    forum_partner_reminders_send(event=event)
    assert list(partner_reminders().values_list("recipient", flat=True)) == ["dpen@example.ma"]
