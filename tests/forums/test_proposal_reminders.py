"""Partner reminders count the participants' proposals put to an organisation: due
`response_due_days` after it was asked (no summary needed, any event with a call), once per
period per contact, in the contact's language, none once answered; a stale commitment on a
proposal is reminded like one on a recommendation. The last test runs the real worker."""

import datetime

import pytest
from django.utils import timezone

from forums.reminders import forum_partner_reminders_send, partner_reminders_send
from forums.services_responses import response_submit
from forums.tasks import partner_reminders_task
from proposals.models import ProposalAddressee
from tests.factories import ContactFactory, ForumSettingsFactory, commitment_accepted
from tests.forums.conftest import (
    assert_stale_commitment_reminded_until_updated,
    partner_reminders,
    reminded_contacts,
)
from tests.notifications.test_integration import wait_until

DAY = datetime.timedelta(days=1)


def asked_days_ago(days: float):
    ProposalAddressee.objects.update(addressed_at=timezone.now() - days * DAY)


@pytest.fixture
def contacts(forum):
    return reminded_contacts(forum)


@pytest.mark.django_db
def test_nothing_before_the_proposals_answers_are_due(forum, forum_proposals, contacts):
    ForumSettingsFactory(event=forum.event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(29)
    assert forum_partner_reminders_send(event=forum.event) == []
    assert partner_reminders_send() == 0


@pytest.mark.django_db
def test_proposals_waiting_are_reminded_once_per_period_in_the_contacts_language(
    forum, forum_proposals, contacts
):
    """The forum's summary was never sent: the proposals alone start the clock."""
    event = forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(31)
    assert partner_reminders_send() == 2
    assert partner_reminders_send() == 2  # same period: the same rows, nothing new
    assert partner_reminders().count() == 2
    sent = {m.recipient: m for m in partner_reminders()}
    assert "عدد مقترحات المشاركين التي تنتظر جوابكم: 1" in sent["dpen@example.ma"].body
    assert "عدد التوصيات" not in sent["dpen@example.ma"].body  # no summary: not asked yet
    assert "Participants' proposals waiting for your answer: 1" in sent["ds@example.ma"].body
    assert "/partners/link/" in sent["ds@example.ma"].body
    for message in sent.values():
        for personal in [forum_proposals.named, *forum.personal_data]:
            assert personal not in message.body


@pytest.mark.django_db
def test_answering_the_proposal_stops_its_reminders(forum, forum_proposals, contacts):
    event = forum.event
    ForumSettingsFactory(event=event, response_due_days=30, reminder_period_days=7)
    asked_days_ago(31)
    forum_partner_reminders_send(event=event)
    response_submit(
        contact=contacts["education_ar"],
        proposal_id=forum_proposals.garden.pk,
        position="under_study",
    )
    asked_days_ago(38)  # the next period
    forum_partner_reminders_send(event=event)
    assert list(partner_reminders().values_list("recipient", flat=True).order_by("id")) == [
        "dpen@example.ma",
        "ds@example.ma",
        "ds@example.ma",
    ]


@pytest.mark.django_db
def test_a_stale_commitment_on_a_proposal_is_reminded_until_updated(
    forum, forum_proposals, contacts
):
    event = forum.event
    ForumSettingsFactory(
        event=event, response_due_days=30, update_every_days=20, reminder_period_days=7
    )
    asked_days_ago(40)
    education = contacts["education_ar"]
    garden = forum_proposals.garden
    commitment = commitment_accepted(
        education,
        garden,
        what="Parcelle prêtée",
        by_whom="Espaces verts",
        due_on=timezone.localdate() + 100 * DAY,
        now=timezone.now() - 21 * DAY,
    )
    assert_stale_commitment_reminded_until_updated(
        event, education, commitment, next_period=lambda: asked_days_ago(47)
    )


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_worker_reminds_an_unanswered_proposal_once_per_period_and_not_after_answering(
    forum,
    forum_proposals,
    worker,
    received,
):
    ForumSettingsFactory(event=forum.event, response_due_days=30, reminder_period_days=7)
    health = ContactFactory(
        organization=forum.health, email="ds@example.ma", preferred_language="en"
    )
    mine = partner_reminders().filter(recipient="ds@example.ma")
    asked_days_ago(31)
    worker.start()
    partner_reminders_task.delay()
    partner_reminders_task.delay()  # as if beat fired twice in the period
    assert wait_until(lambda: mine.filter(status="sent").count() == 1, timeout=40)
    assert not wait_until(lambda: mine.count() > 1, timeout=4)
    first = mine.get()
    assert "Participants' proposals waiting for your answer: 1" in first.body
    assert received.counts()[first.idempotency_key] == 1
    response_submit(contact=health, proposal_id=forum_proposals.library.pk, position="accepted")
    asked_days_ago(38)  # the next period: answered, so nothing
    partner_reminders_task.delay()
    partner_reminders_task.delay()
    assert not wait_until(lambda: mine.count() > 1, timeout=5)
    assert received.counts()[first.idempotency_key] == 1
