"""The knowledge checks' results API: exact for the organizer, suppressed in the shared copy
(partners and donors) by the figures' one rule, rates only from counts that are shown."""

import pytest

from assessments.services.submissions import Person
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

from .world import answer, checks_make, question_set_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(client):
    session = SessionFactory()
    programme = session.event.programme
    pre, post = checks_make(session, question_set_make(programme))
    people = [("female", n % 3 != 0) for n in range(12)] + [("male", True)] * 3
    for gender, passes in people:
        ticket = TicketFactory(attendee__registration__event=session.event, attendee__gender=gender)
        person = Person(ticket.pk, None, gender, "25-59", "migrant")
        answer(pre, person, 2)
        answer(post, person, 4 if passes else 1)
    client.force_login(MembershipFactory(organization=programme.lead_organization).user)
    return programme


def _get(client, programme, shared):
    url = (
        f"/api/v1/programmes/{programme.pk}/knowledge-checks?shared={'true' if shared else 'false'}"
    )
    response = client.get(url)
    assert response.status_code == 200
    [version] = response.json()
    return version


def test_the_organizer_gets_exact_counts_and_rates(client, programme):
    version = _get(client, programme, shared=False)
    assert version["overall"]["answered_post"] == 15
    assert version["overall"]["passed_post"] == 11
    assert version["overall"]["percent_passed_post"] == 73.3
    men = version["by"]["gender"]["male"]
    assert (men["answered_post"], men["passed_post"], men["percent_passed_post"]) == (3, 3, 100.0)
    assert version["overall"]["improved"] == 11


def test_the_shared_copy_hides_small_groups_and_their_rates(client, programme):
    version = _get(client, programme, shared=True)
    men = version["by"]["gender"]["male"]
    women = version["by"]["gender"]["female"]
    assert men["answered_post"] == "<5"
    assert men["percent_passed_post"] is None and men["mean_score_post"] is None
    # 15 in all and the other genders at 0: the women's 12 would give the men's 3 away.
    assert women["answered_post"] == "x"
    assert women["percent_passed_post"] is None
    assert version["overall"]["answered_post"] == 15
    assert version["overall"]["percent_passed_post"] == 73.3
    assert version["by"]["gender"]["other"]["answered_post"] == 0
    # Everyone is 25–59 and a migrant: those columns equal the total and stay.
    assert version["by"]["age_band"]["25-59"]["answered_post"] == 15
