import pytest
from django.core.management import call_command

from core.models import Membership
from events.models import Event, Programme, Session, Target

pytestmark = pytest.mark.django_db


def _counts():
    return {model.__name__: model.objects.count() for model in (Programme, Target, Event, Session)}


def test_load_demo_twice_creates_nothing_twice(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    output = capsys.readouterr().out
    assert "Organizer login: organisateur /" in output
    assert "(0 new objects)" in output


def test_demo_holds_the_programme_targets_and_each_kind_of_event():
    call_command("load_demo")
    programme = Programme.objects.get(code="vivre-ensemble-oriental")
    targets = {
        (t.measure, t.value, t.share_value, int(t.share_min_percent or 0))
        for t in programme.targets.all()
    }
    assert ("people_reached", 800, "female", 50) in targets
    assert ("children_reached", 30, "female", 35) in targets
    kinds = set(programme.events.values_list("kind", flat=True))
    assert {"african_fair", "school_campaign", "conviviality_meeting", "forum"} <= kinds
    campaign = programme.events.get(kind="school_campaign", title__startswith="Campagne « Nos")
    assert campaign.sessions.count() == 6
    assert campaign.sessions.exclude(school_name="").count() == 6
    assert Membership.objects.filter(user__username="organisateur").exists()


def test_demo_organizer_can_use_the_admin(client):
    call_command("load_demo")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="organisateur"))
    response = client.get("/admin/events/event/")
    assert response.status_code == 200
    assert "Foire africaine" in response.content.decode()
