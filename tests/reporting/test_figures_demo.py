"""The demo data gives the dashboards real figures, and loading it twice changes nothing."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from attendance.models import Attendance
from events.demo import demo_load as events_demo_load
from events.models import Programme
from reporting.demo import demo_load as figures_demo_load
from reporting.selectors import figures_for_programme

TODAY = datetime.date(2026, 11, 24)


def _load():
    events_demo_load(today=TODAY)
    return figures_demo_load(today=TODAY)


def test_demo_load_is_idempotent(db):
    first = _load()
    rows = Attendance.objects.count()
    second = _load()
    assert first.created_objects > 0 and second.created_objects == 0
    assert Attendance.objects.count() == rows


def test_demo_figures(db):
    _load()
    figures = figures_for_programme(programme=Programme.objects.get(code="vivre-ensemble-oriental"))
    totals = figures.totals
    assert (totals.people_reached, totals.attendances, totals.children_reached) == (69, 69, 42)
    assert (totals.events_held, totals.sessions_held) == (2, 2)
    assert totals.breakdowns["people_reached"].share("gender", "female").count == 40


def test_dashboards_show_the_demo_figures(client, db):
    _load()
    client.force_login(get_user_model().objects.get(username="organisateur"))
    programme = Programme.objects.get(code="vivre-ensemble-oriental")
    page = client.get(reverse("reporting:programme_dashboard", args=[programme.pk]))
    text = re.sub(r"\s+", " ", page.content.decode())
    assert page.status_code == 200
    assert '<dd data-measure="people_reached">69</dd>' in text
    assert '<dd data-measure="children_reached">42</dd>' in text
    event = programme.events.get(title="Rencontre conviviale de lancement")
    page = client.get(reverse("reporting:event_dashboard", args=[event.pk]))
    assert '<dd data-measure="people_reached">38</dd>' in re.sub(r"\s+", " ", page.content.decode())
