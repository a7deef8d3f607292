"""Organizer dashboards: access rules, the figures they show, the live polling hook."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AttendanceFactory, MembershipFactory, UserFactory


def _programme_url(gt):
    return reverse("reporting:programme_dashboard", args=[gt.programme.pk])


def _event_url(event):
    return reverse("reporting:event_dashboard", args=[event.pk])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_anonymous_is_sent_to_login(client, ground_truth):
    response = client.get(_programme_url(ground_truth))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_user_without_organizer_role_is_forbidden(client, ground_truth):
    client.force_login(UserFactory())
    assert client.get(_programme_url(ground_truth)).status_code == 403
    assert client.get(_event_url(ground_truth.meeting)).status_code == 403


def test_organizer_of_another_ngo_gets_404(client, ground_truth):
    client.force_login(MembershipFactory().user)
    assert client.get(_programme_url(ground_truth)).status_code == 404
    assert client.get(_event_url(ground_truth.meeting)).status_code == 404


def test_programme_dashboard_shows_figures_and_targets(client, ground_truth):
    client.force_login(ground_truth.organizer)
    response = client.get(_programme_url(ground_truth), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = _text(response)
    assert '<dd data-measure="people_reached">29</dd>' in text
    assert '<dd data-measure="attendances">30</dd>' in text
    assert '<dd data-measure="children_reached">25</dd>' in text
    assert '<dd data-measure="events_held">2</dd>' in text
    assert '<td data-cell="female:5-11">' in text
    assert "<b>29</b> / 100" in text
    assert "14.0 %" not in text  # percentages are of the base, not raw counts
    assert "48.3 %" in text
    assert "Meeting" in text and "Campaign" in text
    assert 'Base (people reached): <b data-base="people_reached">29</b>' in text
    assert 'Base (children reached): <b data-base="children_reached">25</b>' in text


def test_programme_dashboard_filters_and_rejects_bad_dates(client, ground_truth):
    client.force_login(ground_truth.organizer)
    response = client.get(_programme_url(ground_truth), {"kind": "school_campaign"})
    assert '<dd data-measure="people_reached">23</dd>' in _text(response)
    assert client.get(_programme_url(ground_truth), {"date_from": "not a date"}).status_code == 400


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_dashboards_render_in_every_language(client, ground_truth, language):
    client.force_login(ground_truth.organizer)
    for url in (_programme_url(ground_truth), _event_url(ground_truth.meeting)):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
    if language == "ar":
        assert 'dir="rtl"' in response.content.decode()


def test_event_dashboard_lists_every_session_with_figures(client, ground_truth):
    client.force_login(ground_truth.organizer)
    text = _text(client.get(_event_url(ground_truth.meeting)))
    s1, s2, _s3, _s4 = ground_truth.sessions
    assert f'<tr data-group="{s1.pk}">' in text and f'<tr data-group="{s2.pk}">' in text
    assert '<dd data-measure="people_reached">6</dd>' in text
    assert '<dd data-measure="attendances">7</dd>' in text


def test_empty_event_dashboard_renders_zeros(client, ground_truth):
    client.force_login(ground_truth.organizer)
    response = client.get(_event_url(ground_truth.empty))
    assert response.status_code == 200
    assert '<dd data-measure="people_reached">0</dd>' in _text(response)


def test_event_dashboard_polls_only_while_the_event_is_on(client, ground_truth):
    with time_machine.travel(datetime.datetime(2026, 10, 31, 12, 0), tick=False):
        client.force_login(ground_truth.organizer)
        live = client.get(_event_url(ground_truth.meeting)).content.decode()
    assert 'data-live="1"' in live
    assert "reporting/live-figures.js" in live
    api_url = reverse("api-v1:event_figures", kwargs={"event_id": ground_truth.meeting.pk})
    assert f'data-url="{api_url}"' in live
    assert "<script>" not in live  # CSP: script-src 'self', no inline code
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, 0), tick=False):
        client.force_login(ground_truth.organizer)  # the earlier session has expired by then
        later = client.get(_event_url(ground_truth.meeting)).content.decode()
    assert 'data-live="0"' in later and "live-figures.js" not in later


def test_admin_change_pages_link_to_dashboards(client, ground_truth, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:events_programme_change", args=[ground_truth.programme.pk]))
    assert _programme_url(ground_truth) in page.content.decode()
    page = client.get(reverse("admin:events_event_change", args=[ground_truth.meeting.pk]))
    assert _event_url(ground_truth.meeting) in page.content.decode()


def test_dashboard_queries_do_not_grow_with_attendance(
    client, ground_truth, django_assert_max_num_queries
):
    client.force_login(ground_truth.organizer)
    url = _programme_url(ground_truth)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    s1, _s2, s3, _s4 = ground_truth.sessions
    for _ in range(10):
        AttendanceFactory(session=s1)
        AttendanceFactory(session=s3, source="class_tally", headcount=25)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert '<dd data-measure="people_reached">289</dd>' in _text(response)
