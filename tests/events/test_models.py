"""Model constraints: the database and full_clean refuse what must never be stored."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from events.models import Target
from tests.factories import EventFactory, ProgrammeFactory, SessionFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are lazy: read them in English, whatever the default language."""
    with translation.override("en"):
        yield


def test_session_outside_its_event_dates_is_rejected_with_a_clear_message():
    session = SessionFactory.build(event=EventFactory())
    session.date = session.event.end_date + datetime.timedelta(days=1)
    session.venue.save()
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert "within its event's dates" in str(excinfo.value.message_dict["date"])


def test_session_ending_before_it_starts_is_refused_by_the_database():
    session = SessionFactory()
    session.end_time = datetime.time(9, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


@pytest.mark.parametrize("percent", [Decimal("100.01"), Decimal("0"), Decimal("-5")])
def test_target_share_outside_0_to_100_is_rejected(percent):
    target = TargetFactory.build(
        programme=ProgrammeFactory(),
        share_field="gender",
        share_value="female",
        share_min_percent=percent,
    )
    with pytest.raises(ValidationError) as excinfo:
        target.full_clean()
    assert "100%" in str(excinfo.value)


def test_target_share_above_100_is_refused_by_the_database_too():
    target = TargetFactory(share_field="gender", share_value="female", share_min_percent=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(share_min_percent=Decimal("120"))


def test_target_share_needs_a_value_from_its_dimension():
    target = TargetFactory.build(
        programme=ProgrammeFactory(),
        share_field="gender",
        share_value="girls",
        share_min_percent=35,
    )
    with pytest.raises(ValidationError) as excinfo:
        target.full_clean()
    assert "share_value" in excinfo.value.message_dict


def test_incomplete_share_is_rejected():
    target = TargetFactory.build(programme=ProgrammeFactory(), share_field="gender")
    with pytest.raises(ValidationError):
        target.full_clean()


def test_target_reads_like_the_donor_wrote_it():
    target = TargetFactory(
        measure="children_reached",
        value=30,
        share_field="gender",
        share_value="female",
        share_min_percent=Decimal("35"),
    )
    with translation.override("en"):
        assert str(target) == "30 children reached, at least 35% Female"


def test_registration_window_ending_before_it_starts_is_rejected():
    event = EventFactory.build(programme=ProgrammeFactory())
    event.organizer = event.programme.lead_organization
    event.registration_opens_at = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    event.registration_closes_at = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "Registration must close after it opens." in str(excinfo.value)


def test_event_ending_before_it_starts_is_rejected():
    event = EventFactory.build(programme=ProgrammeFactory())
    event.organizer = event.programme.lead_organization
    event.end_date = event.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        event.full_clean()


def test_event_outside_its_programme_is_rejected():
    event = EventFactory.build(programme=ProgrammeFactory())
    event.organizer = event.programme.lead_organization
    event.start_date = event.programme.start_date - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "start_date" in excinfo.value.message_dict


def test_event_with_unknown_language_is_rejected():
    event = EventFactory.build(programme=ProgrammeFactory(), languages=["fr", "xx"])
    event.organizer = event.programme.lead_organization
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "languages" in excinfo.value.message_dict


def test_event_title_follows_the_active_language():
    event = EventFactory(title="Foire", title_ar="معرض", title_en="")
    with translation.override("ar"):
        assert event.display_title == "معرض"
    with translation.override("en"):
        assert event.display_title == "Foire"  # falls back to French
