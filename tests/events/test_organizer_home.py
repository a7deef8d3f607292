"""The organizer's home: where an organizer lands after signing in, with today's events first,
then upcoming ones, of their own organisation only, each linking to the pages of its day; the
admin's event page carries the same links."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventKind, EventStatus
from tests.factories import (
    TODAY,
    EventFactory,
    MembershipFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HOME = "/organizer/"
HREF = re.compile(r'<a href="([^"]+)"')


@pytest.fixture(autouse=True)
def morning_of_today():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 0), tick=False):
        yield


@pytest.fixture
def organizer(db):
    return MembershipFactory().user


@pytest.fixture
def day(organizer):
    """An organisation with an event today, a forum next week, a past and a cancelled event,
    and another organisation's event today."""
    ngo = organizer.memberships.get().organization
    programme = ProgrammeFactory(lead_organization=ngo)
    today = EventFactory(programme=programme, title="Foire du jour", end_date=TODAY)
    morning = SessionFactory(event=today, start_time=datetime.time(9))
    forum = EventFactory(
        programme=programme,
        kind=EventKind.FORUM,
        title="Forum à venir",
        start_date=TODAY + datetime.timedelta(days=7),
        end_date=TODAY + datetime.timedelta(days=7),
    )
    SessionFactory(event=forum)
    past = EventFactory(
        programme=programme,
        title="Rencontre passée",
        start_date=TODAY - datetime.timedelta(days=9),
        end_date=TODAY - datetime.timedelta(days=8),
    )
    cancelled = EventFactory(programme=programme, title="Annulée", status=EventStatus.CANCELLED)
    stranger = EventFactory(title="Événement d'une autre ONG")
    return {
        "today": today,
        "morning": morning,
        "forum": forum,
        "hidden": [past, cancelled, stranger],
    }


def _links_of(html: str, event) -> list[str]:
    card = html.split(f'data-event="{event.pk}"', 1)[1].split("</article>", 1)[0]
    return HREF.findall(card.replace("&amp;", "&"))


def test_organizer_lands_on_the_home_after_signing_in(client, organizer):
    answer = client.post(
        reverse("core:login"), {"username": organizer.username, "password": "pass-word-123"}
    )
    assert answer.status_code == 302 and answer["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_admin_sign_in_also_lands_on_the_home_unless_a_next_says_otherwise(client, organizer):
    credentials = {"username": organizer.username, "password": "pass-word-123"}
    form = client.get("/admin/login/").content.decode()
    assert f'name="next" value="{HOME}"' in form
    answer = client.post("/admin/login/", {**credentials, "next": HOME})
    assert answer.status_code == 302 and answer["Location"] == HOME
    client.logout()
    answer = client.post("/admin/login/?next=/admin/events/event/", credentials)
    assert answer["Location"] == "/admin/events/event/"


def test_home_lists_todays_events_first_and_only_the_organisations_own(client, organizer, day):
    client.force_login(organizer)
    html = client.get(HOME).content.decode()
    assert html.index("Foire du jour") < html.index("Forum à venir")
    for event in day["hidden"]:
        assert event.title not in html


def test_each_event_links_to_the_pages_of_its_day_and_each_link_opens(client, organizer, day):
    client.force_login(organizer)
    html = client.get(HOME).content.decode()
    today_links = _links_of(html, day["today"])
    forum_links = _links_of(html, day["forum"])
    assert reverse("attendance:session_door", args=[day["morning"].pk]) in today_links
    for expected in (
        reverse("reporting:event_dashboard", args=[day["today"].pk]),
        reverse("notifications:event_messages", args=[day["today"].pk]),
        reverse("participants:duplicates"),
        reverse("admin:events_event_change", args=[day["today"].pk]),
        f"{reverse('admin:events_registration_changelist')}?event__id__exact={day['today'].pk}",
        f"{reverse('admin:attendance_doortoken_add')}?events={day['today'].pk}",
    ):
        assert expected in today_links
    assert reverse("forums:manage", args=[day["forum"].pk]) in forum_links
    assert reverse("forums:manage", args=[day["today"].pk]) not in today_links
    superuser = UserFactory(is_superuser=True)  # admin pages need model permissions
    for link in today_links + forum_links:
        viewer = superuser if link.startswith("/admin/") else organizer
        client.force_login(viewer)
        assert client.get(link).status_code == 200, link


def test_admin_event_page_carries_the_same_links(client, organizer, day):
    client.force_login(UserFactory(is_superuser=True))
    event = day["today"]
    html = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    tools = html.split('class="object-tools"', 1)[1].split("</ul>", 1)[0]
    for expected in (
        reverse("attendance:session_door", args=[day["morning"].pk]),
        reverse("reporting:event_dashboard", args=[event.pk]),
        reverse("notifications:event_messages", args=[event.pk]),
        reverse("participants:duplicates"),
    ):
        assert expected in tools


def test_home_query_count_does_not_grow_with_events_and_sessions(client, organizer, day):
    client.force_login(organizer)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    programme = day["today"].programme
    for offset in range(1, 9):
        day_of = TODAY + datetime.timedelta(days=offset)
        event = EventFactory(programme=programme, start_date=day_of, end_date=day_of)
        SessionFactory.create_batch(3, event=event)
    with CaptureQueriesContext(connection) as many:
        html = client.get(HOME).content.decode()
    assert html.count('class="card organizer-event"') == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_home_is_for_staff_members_only(client):
    assert client.get(HOME)["Location"].startswith(reverse("core:login"))
    client.force_login(UserFactory(is_staff=False))
    assert client.get(HOME).status_code == 403


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [
        ("fr", "ltr", "Accueil organisateur"),
        ("ar", "rtl", "صفحة المنظم"),
        ("en", "ltr", "Organizer home"),
    ],
)
def test_home_in_each_language(client, organizer, day, language, direction, heading):
    client.force_login(organizer)
    client.cookies["django_language"] = language
    html = client.get(HOME).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html and heading in html
