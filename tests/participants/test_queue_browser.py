"""Bulk review from the keyboard in real headless Chromium under the page's strict policy: j / k
move, d marks different people, m merges keeping the first, u undoes the last merge."""

import pytest

from participants.models import DuplicateCandidate, Participant, ParticipantMerge
from tests.browser_login import signed_in_context
from tests.factories import DuplicateCandidateFactory, MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewing_the_queue_with_the_keyboard(live_server, browser):
    organization = OrganizationFactory()
    user = MembershipFactory(organization=organization).user
    top = DuplicateCandidateFactory(organization=organization, score=100)
    second = DuplicateCandidateFactory(organization=organization, score=80)
    context = signed_in_context(browser, live_server, user, locale="en")
    page = context.new_page()
    queue = f"{live_server.url}/organizer/participants/duplicates/"
    page.goto(queue)
    assert page.get_attribute(".dup-row >> nth=0", "class").endswith("is-current")

    # j moves to the second row, d says different people.
    with page.expect_navigation():
        page.keyboard.press("j")
        page.keyboard.press("d")
    assert DuplicateCandidate.objects.get(pk=second.pk).status == "distinct"

    # Back on the queue, the first row is current again: m merges keeping its first participant.
    with page.expect_navigation():
        page.keyboard.press("m")
    assert Participant.objects.get(pk=top.second_id).merged_into_id == top.first_id

    # u undoes the last merge.
    with page.expect_navigation():
        page.keyboard.press("u")
    assert ParticipantMerge.objects.get().undone_at is not None
    assert Participant.objects.get(pk=top.second_id).merged_into_id is None
