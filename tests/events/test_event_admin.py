"""The admin's event page: languages and co-organizers as checkboxes, one datetime-local input per
date and time (validated, in the local time zone),
sessions stacked so the page fits a laptop, and a query count that does not grow with the
number of sessions or registrations."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AttendeeFactory,
    EventFactory,
    MembershipFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    TicketFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(languages=["fr", "ar", "en"])
    SessionFactory(event=event)
    return event


def _url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def _bound_data(response) -> dict:
    """What the browser would send back for the change form as shown (event and inlines)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
        forms += list(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value
    return data


def test_languages_are_checkboxes_of_the_supported_languages(client, event):
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(_url(event)).content.decode()
    assert '<textarea name="languages"' not in html
    for code in ("fr", "ar", "en"):
        assert f'type="checkbox" name="languages" value="{code}"' in html


def test_ticked_languages_are_saved_in_the_platform_order(client, event):
    client.force_login(UserFactory(is_superuser=True))
    data = _bound_data(client.get(_url(event)))
    data["languages"] = ["en", "ar"]
    answer = client.post(_url(event), data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.languages == ["ar", "en"]


@pytest.mark.parametrize("languages", [[], ["xx"], ["fr", "de"]])
def test_unknown_or_no_language_is_a_form_error(client, event, languages):
    client.force_login(UserFactory(is_superuser=True))
    data = _bound_data(client.get(_url(event)))
    data["languages"] = languages
    answer = client.post(_url(event), data)
    assert answer.status_code == 200
    assert "languages" in answer.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.languages == ["fr", "ar", "en"]


def test_sessions_are_stacked_not_a_wide_table(client, event):
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(_url(event)).content.decode()
    assert 'id="sessions-group"' in html
    assert "inline-related" in html and "tabular inline-related" not in html


def _organizer_with_event_rights(organization):
    user = MembershipFactory(organization=organization).user
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="events"))
    return user


def _event_page_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(event)).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("as_superuser", [True, False])
def test_event_page_queries_do_not_grow_with_sessions_and_registrations(client, as_superuser):
    organizer = MembershipFactory().user
    event = EventFactory(
        programme=ProgrammeFactory(lead_organization=organizer.memberships.get().organization)
    )
    user = (
        UserFactory(is_superuser=True)
        if as_superuser
        else _organizer_with_event_rights(event.organizer)
    )
    client.force_login(user)
    SessionFactory(event=event)
    RegistrationFactory(event=event)
    few = _event_page_queries(client, event)
    for day in range(40):
        SessionFactory(
            event=event,
            date=event.start_date,
            start_time=datetime.time(8 + day % 10, day % 60),
            end_time=datetime.time(19),
            venue=VenueFactory(),
        )
        RegistrationFactory(event=event)
    assert _event_page_queries(client, event) == few


def _registration_page_queries(client, registration) -> int:
    url = reverse("admin:events_registration_change", args=[registration.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_registration_page_queries_do_not_grow_with_a_class_of_pupils(client):
    client.force_login(UserFactory(is_superuser=True))
    registration = RegistrationFactory()
    TicketFactory(attendee=AttendeeFactory(registration=registration))
    _registration_page_queries(client, registration)  # fills the per-process caches
    few = _registration_page_queries(client, registration)
    for _ in range(25):
        TicketFactory(attendee=AttendeeFactory(registration=registration, is_contact=False))
    EventFactory.create_batch(5)  # more events to choose from: the event is an autocomplete
    assert _registration_page_queries(client, registration) == few


def test_each_date_and_time_is_one_labelled_datetime_local_input(client, event):
    # The admin's split date and time inputs shared one <label> (axe: "label").
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(_url(event)).content.decode()
    for name in ("registration_opens_at", "registration_closes_at"):
        assert f'type="datetime-local" name="{name}"' in html
        assert f'<label for="id_{name}"' in html
        assert f'name="{name}_0"' not in html and f'name="{name}_1"' not in html


def test_a_datetime_local_value_is_read_in_the_local_time_zone(client, event):
    client.force_login(UserFactory(is_superuser=True))
    data = _bound_data(client.get(_url(event)))
    data["registration_opens_at"] = "2026-12-01T09:30"
    answer = client.post(_url(event), data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    event.refresh_from_db()
    local = timezone.localtime(event.registration_opens_at, ZoneInfo(settings.TIME_ZONE))
    assert (local.date(), local.time()) == (datetime.date(2026, 12, 1), datetime.time(9, 30))


@pytest.mark.parametrize("typed", ["2026-13-01T09:30", "2026-12-01T25:00", "tomorrow"])
def test_a_malformed_date_and_time_is_a_form_error(client, event, typed):
    client.force_login(UserFactory(is_superuser=True))
    before = event.registration_opens_at
    data = _bound_data(client.get(_url(event)))
    data["registration_opens_at"] = typed
    answer = client.post(_url(event), data)
    assert answer.status_code == 200
    assert "registration_opens_at" in answer.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.registration_opens_at == before


def test_co_organizers_are_named_checkboxes_not_two_unnamed_select_boxes(client, event):
    # filter_horizontal's select boxes had no accessible name (axe: "select-name").
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(_url(event)).content.decode()
    assert 'type="checkbox" name="co_organizers"' in html
    assert "selectfilter" not in html.lower()
