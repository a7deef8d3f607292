"""The forum demo of `make run`: participants with tickets that endorse, a rapporteur and a
partner account that work, and their links printed."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from events.demo import DEMO_PASSWORD
from events.demo import demo_load as events_demo_load
from events.models import EventKind, Ticket
from forums.demo import PARTNER_USERNAME, RAPPORTEUR_USERNAME, demo_load

pytestmark = pytest.mark.django_db


def _printed_path(text: str, pattern: str) -> str:
    return urlsplit(re.search(r"http://\S+" + pattern, text).group(0)).path


@pytest.fixture
def demo():
    events_demo_load()
    return demo_load()


def test_demo_forum_has_tickets_whose_printed_code_endorses(demo, client):
    tickets = Ticket.objects.filter(event__kind=EventKind.FORUM, status=Ticket.Status.VALID)
    assert tickets.count() >= 3
    code = re.search(r"ticket code such as ([0-9A-Z]{4}-[0-9A-Z]{4})", demo.text).group(1)
    endorse = _printed_path(demo.text, "/endorse/")
    answer = client.post(endorse, {"action": "code", "code": code})
    assert answer.status_code == 302
    assert client.get(answer["Location"]).status_code == 200


def test_demo_rapporteur_and_partner_sign_in_where_the_text_says(demo, client):
    assert f"Rapporteur login: {RAPPORTEUR_USERNAME} / {DEMO_PASSWORD}" in demo.text
    assert f"Partner login: {PARTNER_USERNAME} / {DEMO_PASSWORD}" in demo.text
    login = reverse("core:login")
    answer = client.post(login, {"username": PARTNER_USERNAME, "password": DEMO_PASSWORD})
    assert answer["Location"] == reverse("forums:partner_home_session")
    assert client.get(answer["Location"]).status_code == 200
    client.logout()
    client.post(login, {"username": RAPPORTEUR_USERNAME, "password": DEMO_PASSWORD})
    assert client.get(_printed_path(demo.text, "/rapporteur/")).status_code == 200
    assert client.get(_printed_path(demo.text, "/partners/link/\\S+")).status_code == 200


def test_demo_partner_is_created_once():
    events_demo_load()
    demo_load()
    assert demo_load().created_objects == 0
