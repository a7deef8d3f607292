"""The privacy sweep of proposals: a participant who typed a name without agreeing to be named
is not named anywhere (the name is not even stored); one who agreed is named on their accepted
proposal only; no code, name or phone reaches the moderation API, the figures or the logs; and
the retention purge leaves the proposal figures unchanged."""

import logging

import pytest
import time_machine
from django.core.cache import cache

from proposals import services
from proposals.models import Proposal
from reporting.selectors import figures_for_programme
from tests.factories import CallThemeFactory, MembershipFactory, ProgrammeFactory, SessionFactory

from .test_canary_sweep import (
    BEFORE_EVENT,
    CANARIES,
    CANARY_NAME,
    DOOR_OPEN,
    _aggregate_outputs,
    _database_text,
    _purge_after_retention,
    _register,
)

pytestmark = pytest.mark.django_db
CANARY_UNNAMED, CANARY_NAMED = "Canaryunnamed", "Canarynamedwithconsent"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_proposers_are_named_only_where_they_agreed(
    client, caplog, django_capture_on_commit_callbacks
):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    programme = ProgrammeFactory(retention_days=30)
    session = SessionFactory(event__programme=programme)
    event = session.event
    theme = CallThemeFactory(call__event=event)
    with (
        time_machine.travel(BEFORE_EVENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        registration = _register(client, event)
    tickets = [member.ticket for member in registration.members.all()]
    codes = [ticket.short_code for ticket in tickets]
    with time_machine.travel(DOOR_OPEN, tick=False):
        url = f"/api/v1/events/{event.pk}/proposals"
        body = {"theme_id": theme.pk, "text": "Un jardin.", "language": "fr"}
        unnamed = _post(
            client,
            url,
            {**body, "code": codes[0], "title": "Jardin", "proposer_name": CANARY_UNNAMED},
        )
        named = _post(
            client,
            url,
            {
                **body,
                "code": codes[1],
                "title": "Terrain",
                "proposer_name": CANARY_NAMED,
                "proposer_agreed_to_be_named": True,
            },
        )
        assert unnamed.status_code == named.status_code == 201
        assert CANARY_UNNAMED not in _database_text()
        for proposal in Proposal.objects.all():
            services.proposal_accept(proposal=proposal)
        public = client.get(f"/api/v1/events/{event.pk}/call").content.decode()
        phone = client.get(f"/propose/{event.pk}/").content.decode()
        assert CANARY_NAMED in public
        for text in (public, phone):
            for secret in (CANARY_UNNAMED, CANARY_NAME, *codes, *CANARIES):
                assert secret not in text
        organizer = MembershipFactory(organization=event.organizer).user
        client.force_login(organizer)
        moderation = client.get(f"/api/v1/events/{event.pk}/proposals").content.decode()
        outputs = _aggregate_outputs(client, event)
    for secret in (CANARY_NAME, *CANARIES, *codes, *(t.secret for t in tickets)):
        assert secret not in moderation
    for where, text in outputs.items():
        for secret in (CANARY_NAMED, CANARY_UNNAMED, *CANARIES, *codes):
            assert secret not in text, f"{secret!r} in {where}"
    figures_before = figures_for_programme(programme=programme)
    assert figures_before.totals.people_proposing == 2
    _purge_after_retention(event, django_capture_on_commit_callbacks)
    assert figures_for_programme(programme=programme) == figures_before
    # The name the proposer chose to show goes with their registration.
    assert CANARY_NAMED not in _database_text()
    assert Proposal.objects.count() == 2
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (CANARY_UNNAMED, CANARY_NAMED, *codes):
        assert secret not in logged, f"{secret!r} in the logs"
