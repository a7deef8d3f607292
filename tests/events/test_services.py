import datetime

import pytest
from django.core.exceptions import ValidationError

from core.errors import ApplicationError
from events import signals
from events.models import Event, EventStatus, Programme
from events.services import events as event_services
from events.services import programmes as programme_services
from tests.factories import (
    TODAY,
    EventFactory,
    OrganizationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def test_programme_create_with_targets_and_partners():
    lead, donor = OrganizationFactory(), OrganizationFactory(kind="donor")
    programme = programme_services.programme_create(
        code="inclusion-2027",
        name="Inclusion",
        lead_organization=lead,
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=365),
        donors=[donor],
        targets=[
            {
                "measure": "people_reached",
                "value": 800,
                "share_field": "gender",
                "share_value": "female",
                "share_min_percent": 50,
            },
            {"measure": "events_held", "value": 12},
        ],
    )
    assert list(programme.donors.all()) == [donor]
    assert programme.targets.count() == 2


def test_programme_create_is_all_or_nothing_when_a_target_is_bad():
    with pytest.raises(ValidationError):
        programme_services.programme_create(
            code="bad",
            name="Bad",
            lead_organization=OrganizationFactory(),
            start_date=TODAY,
            end_date=TODAY,
            targets=[
                {
                    "measure": "people_reached",
                    "value": 10,
                    "share_field": "gender",
                    "share_value": "female",
                    "share_min_percent": 150,
                }
            ],
        )
    assert not Programme.objects.filter(code="bad").exists()


def test_unknown_fields_are_refused_by_services():
    with pytest.raises(ValueError):
        programme_services.programme_create(code="x", name="x", colour="red")


def test_publishing_needs_a_session():
    event = EventFactory(status=EventStatus.DRAFT)
    with pytest.raises(ApplicationError) as excinfo:
        event_services.event_publish(event=event)
    assert excinfo.value.code == "no_sessions"
    SessionFactory(event=event)
    assert event_services.event_publish(event=event).status == EventStatus.PUBLISHED


def test_closed_event_cannot_be_reopened_or_edited():
    event = SessionFactory().event
    event_services.event_close(event=event)
    with pytest.raises(ApplicationError) as excinfo:
        event_services.event_publish(event=event)
    assert excinfo.value.code == "invalid_transition"
    event.refresh_from_db()
    with pytest.raises(ApplicationError):
        event_services.event_update(event=event, data={"title": "New"})


def test_cancelling_sends_the_event_cancelled_signal_after_commit(
    django_capture_on_commit_callbacks,
):
    event = SessionFactory().event
    received = []

    def receiver(sender, event_id, **kwargs):
        received.append(event_id)

    signals.event_cancelled.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event_services.event_cancel(event=event)
    finally:
        signals.event_cancelled.disconnect(receiver)
    assert received == [event.pk]


def test_moving_a_session_sends_sessions_rescheduled(django_capture_on_commit_callbacks):
    session = SessionFactory()
    received = []

    def receiver(sender, event_id, session_ids, **kwargs):
        received.append((event_id, session_ids))

    signals.sessions_rescheduled.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            event_services.session_update(session=session, data={"title": "Same time"})
        with django_capture_on_commit_callbacks(execute=True):
            event_services.session_update(session=session, data={"start_time": datetime.time(11)})
    finally:
        signals.sessions_rescheduled.disconnect(receiver)
    assert received == [(session.event_id, [session.pk])]


def test_event_dates_cannot_move_away_from_their_sessions():
    session = SessionFactory()
    event = session.event
    with pytest.raises(ApplicationError) as excinfo:
        event_services.event_update(
            event=event,
            data={"start_date": event.start_date + datetime.timedelta(days=1)},
        )
    assert excinfo.value.code == "sessions_outside_event"


def test_duplicate_copies_sessions_as_a_shifted_draft():
    event = EventFactory()
    venue = VenueFactory()
    event_services.session_create(
        event=event,
        date=event.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        venue=venue,
    )
    copy = event_services.event_duplicate(
        event=event, start_date=event.start_date + datetime.timedelta(days=7)
    )
    assert copy.pk != event.pk
    assert copy.status == EventStatus.DRAFT
    assert copy.sessions.get().date == event.start_date + datetime.timedelta(days=7)
    assert Event.objects.count() == 2
