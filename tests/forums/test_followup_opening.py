"""The follow-up report goes out on its own when the next forum of the programme opens (its
first session starts): built from the answers of that moment, released, one outbox e-mail per
partner contact; once per forum whatever the number of beats, workers, closes and retries."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEntry
from events.models import EventStatus
from events.services.events import event_close
from forums.followup_delivery import followup_release, followup_report_build
from forums.followup_opening import followup_report_open, forum_opens_at, forums_opening_due
from forums.models import FollowupReport, ForumSummary
from forums.services_responses import response_submit
from forums.tasks import followup_reports_opening_task
from notifications.models import Message, Purpose
from tests.concurrency import run_at_once
from tests.factories import ContactFactory, SessionFactory
from tests.forums.conftest import next_forum_of

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def next_forum_with_sessions(forum):
    nxt = next_forum_of(forum)
    later = nxt.start_date
    SessionFactory(event=nxt, date=later, start_time=datetime.time(9, 30))
    SessionFactory(
        event=nxt, date=later, start_time=datetime.time(14, 0), end_time=datetime.time(17, 0)
    )
    return nxt


@pytest.fixture
def next_forum(closed_forum):
    contact = ContactFactory(
        organization=closed_forum.education, email="dpen@example.ma", preferred_language="ar"
    )
    response_submit(
        contact=contact,
        recommendation_id=closed_forum.recommendations["enrol"].pk,
        position="accepted",
    )
    return next_forum_with_sessions(closed_forum)


def followup_messages():
    return Message.objects.filter(purpose=Purpose.FORUM_FOLLOWUP)


def test_the_forum_opens_when_its_first_session_starts(next_forum):
    opens = forum_opens_at(next_forum)
    assert timezone.localtime(opens).time() == datetime.time(9, 30)
    assert timezone.localdate(opens) == next_forum.start_date


def test_report_is_built_and_sent_once_when_the_next_forum_opens(
    closed_forum, next_forum, django_capture_on_commit_callbacks
):
    opens = forum_opens_at(next_forum)
    with time_machine.travel(opens - MINUTE, tick=False):
        assert followup_reports_opening_task() == 0
    assert not FollowupReport.objects.exists()

    with (
        time_machine.travel(opens + 5 * MINUTE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert followup_reports_opening_task() == 1
    report = FollowupReport.objects.get()
    assert report.event == next_forum and report.previous == closed_forum.event
    assert report.released_at == opens + 5 * MINUTE and report.built_by is None
    enrol = report.data["recommendations"][0]
    assert [a["position"] for a in enrol["addressees"]] == ["", "accepted"]  # commune, DPEN
    recipients = set(followup_messages().values_list("recipient", flat=True))
    assert "dpen@example.ma" in recipients
    arabic = followup_messages().get(recipient="dpen@example.ma")
    assert arabic.language == "ar" and "المنتدى الثاني" in arabic.body
    sent = followup_messages().count()

    # Beat again, a retried task, the forum closed at the end of the day: nothing more.
    later = opens + datetime.timedelta(hours=9)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert followup_reports_opening_task() == 0
        assert followup_report_open(event_id=next_forum.pk) is None
        event_close(event=next_forum)
        assert followup_report_open(event_id=next_forum.pk) is None
    next_forum.refresh_from_db()
    assert next_forum.status == EventStatus.CLOSED
    assert FollowupReport.objects.count() == 1 and followup_messages().count() == sent
    assert AuditEntry.objects.filter(action="forums.followup_released").count() == 1


def test_a_report_sent_by_hand_before_the_opening_is_not_sent_again(
    closed_forum, next_forum, django_capture_on_commit_callbacks
):
    report = followup_report_build(event=next_forum)
    with django_capture_on_commit_callbacks(execute=True):
        followup_release(report_id=report.pk, previewed_sha256=report.sha256)
    sent = followup_messages().count()
    assert sent >= 1
    with (
        time_machine.travel(forum_opens_at(next_forum) + MINUTE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert forums_opening_due() == []
        assert followup_report_open(event_id=next_forum.pk) is None
    assert FollowupReport.objects.count() == 1 and followup_messages().count() == sent


def test_an_unreleased_draft_does_not_stop_the_opening_report(
    closed_forum, next_forum, django_capture_on_commit_callbacks
):
    followup_report_build(event=next_forum)  # built by hand, never confirmed
    with (
        time_machine.travel(forum_opens_at(next_forum) + MINUTE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = followup_report_open(event_id=next_forum.pk)
    assert report.number == 2 and report.released_at is not None
    assert set(followup_messages().values_list("payload__followup", flat=True)) == {report.pk}


def test_nothing_when_the_previous_forum_never_put_its_recommendations_to_partners(
    closed_forum, next_forum
):
    ForumSummary.objects.filter(event=closed_forum.event).update(released_at=None)
    with time_machine.travel(forum_opens_at(next_forum) + MINUTE, tick=False):
        assert forums_opening_due() == []
        assert followup_report_open(event_id=next_forum.pk) is None
    assert not FollowupReport.objects.exists()


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_a_draft_or_cancelled_forum_does_not_open(closed_forum, next_forum, status):
    type(next_forum).objects.filter(pk=next_forum.pk).update(status=status)
    with time_machine.travel(forum_opens_at(next_forum) + MINUTE, tick=False):
        assert forums_opening_due() == []
        assert followup_report_open(event_id=next_forum.pk) is None


def test_a_forum_opened_long_ago_is_not_caught_up(closed_forum, next_forum):
    with time_machine.travel(forum_opens_at(next_forum) + datetime.timedelta(days=8)):
        assert forums_opening_due() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_openings_build_and_send_one_report_on_postgresql(closed_forum):
    ContactFactory(organization=closed_forum.education, email="dpen@example.ma")
    nxt = next_forum_with_sessions(closed_forum)
    with time_machine.travel(forum_opens_at(nxt) + MINUTE, tick=False):
        results = run_at_once(lambda: followup_report_open(event_id=nxt.pk), times=5)
    assert sum(result is not None for result in results) == 1
    assert FollowupReport.objects.filter(event=nxt).count() == 1
    rows = followup_messages()
    assert rows.filter(recipient="dpen@example.ma").count() == 1
    assert rows.count() == len(set(rows.values_list("recipient", flat=True)))
