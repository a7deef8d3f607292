"""The proposals demo of `make run`: a call on the fair whose printed ticket code proposes, and
figures that count its people; loading twice adds nothing."""

import re
from urllib.parse import urlsplit

import pytest

from events.demo import demo_load as events_demo_load
from proposals.demo import demo_load
from proposals.models import Proposal
from proposals.selectors import proposal_figures

pytestmark = pytest.mark.django_db


def test_demo_call_counts_people_and_its_printed_code_proposes(client):
    events_demo_load()
    result = demo_load()
    assert result.created_objects > 0
    assert demo_load().created_objects == 0
    call_event = Proposal.objects.first().call.event
    figures = proposal_figures(event=call_event)
    assert figures.people_proposing == 3 + 9  # three ticket holders and a group of nine
    assert figures.people_endorsing == 2
    # The first accepted proposal waits for a partner of the programme's answer.
    addressed = Proposal.objects.filter(addressees__isnull=False).distinct().get()
    assert addressed.status == "accepted"
    assert call_event.programme.partners.filter(
        pk=addressed.addressees.get().organization_id
    ).exists()
    path = urlsplit(re.search(r"http://\S+/propose/\d+/", result.text).group(0)).path
    code = re.search(r"ticket code such as ([0-9A-Z]{4}-[0-9A-Z]{4})", result.text).group(1)
    assert client.post(path, {"action": "code", "code": code}).status_code == 302
    theme = call_event.call_for_proposals.themes.first()
    answer = client.post(
        path,
        {"action": "propose", "theme": theme.pk, "title": "Ciné", "text": "X", "language": "fr"},
    )
    assert answer.status_code == 302
