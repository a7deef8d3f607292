"""Outcome targets: "70% of participants pass the post-test, women as well as men", measured
from generated answers, the same in the figures selectors (the dashboard's), the figures API, the
dashboard page and the donor export with its HXL tags."""

import io

import hxl
import pytest
from django.urls import reverse
from django.utils import translation

from assessments.services.submissions import Person
from events.models import Measure
from reporting.selectors import figures_for_programme
from tests.factories import MembershipFactory, SessionFactory, TargetFactory, TicketFactory

from .world import answer, checks_make, question_set_make

pytestmark = pytest.mark.django_db

# (gender, passes the post-check?) of each person who took it: 8 of 10 women pass, 3 of 6 men.
POST = (
    [("female", True)] * 8 + [("female", False)] * 2 + [("male", True)] * 3 + [("male", False)] * 3
)


@pytest.fixture
def programme():
    session = SessionFactory()
    programme = session.event.programme
    pre, post = checks_make(session, question_set_make(programme))
    for gender, passes in POST:
        ticket = TicketFactory(attendee__registration__event=session.event, attendee__gender=gender)
        person = Person(ticket.pk, None, gender, "25-59", "migrant")
        answer(pre, person, 1)
        answer(post, person, 4 if passes else 2)
    # An anonymous pre-check only: counts nowhere in the post-check rate.
    answer(pre, Person(None, None, "male", "18-24", "host"), 5)
    TargetFactory(programme=programme, measure=Measure.POST_CHECK_PASS_RATE, value=70)
    for gender in ("female", "male"):
        TargetFactory(
            programme=programme,
            measure=Measure.POST_CHECK_PASS_RATE,
            value=70,
            share_field="gender",
            share_value=gender,
            share_min_percent=70,
        )
    return programme


def _targets(report):
    return {(t.share_value or "all"): t for t in report.targets}


def test_pass_rate_targets_give_the_rates_and_gaps_of_the_generated_answers(programme):
    with translation.override("en"):
        targets = _targets(figures_for_programme(programme=programme))
    overall, women, men = targets["all"], targets["female"], targets["male"]
    assert (overall.outcome_percent, overall.outcome_base, overall.current) == (68.8, 16, 68)
    assert (overall.remaining, overall.reached) == (2, False)
    assert (women.share_count, women.share_base, women.share_percent) == (8, 10, 80.0)
    assert (women.share_met, women.share_gap) == (True, 0)
    assert (men.share_count, men.share_base, men.share_percent) == (3, 6, 50.0)
    # 70% of 6 men is 4.2: two more of them must pass.
    assert (men.share_met, men.share_gap, men.reached) == (False, 2, False)
    assert men.share_gap_text == "2 more men needed"


def test_the_figures_api_and_the_dashboard_show_the_same_gap(client, programme):
    client.force_login(MembershipFactory(organization=programme.lead_organization).user)
    body = client.get(
        f"/api/v1/programmes/{programme.pk}/figures", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    men = next(t for t in body["targets"] if t["share_value"] == "male")
    assert (men["share_percent"], men["share_gap"], men["share_met"]) == (50.0, 2, False)
    overall = next(t for t in body["targets"] if not t["share_field"])
    assert (overall["outcome_percent"], overall["remaining"]) == (68.8, 2)
    page = client.get(
        reverse("reporting:programme_dashboard", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2 percentage points below the target" in page
    assert "2 more men needed" in page


def test_the_donor_export_carries_the_rates_asked_and_reached_with_hxl_tags(client, programme):
    client.force_login(MembershipFactory(organization=programme.lead_organization).user)
    url = reverse("reporting:programme_figures_csv", args=[programme.pk]) + "?hxl=1"
    dataset = hxl.data(hxl.input.make_input(io.BytesIO(client.get(url).content)))
    total = next(row for row in dataset if row.get("#meta+row") == "total")
    cells = {
        str(column): value
        for column, value in zip(total.columns, total.values, strict=False)
        if "knowledge_check" in str(column)
    }
    assert cells == {
        "#indicator+knowledge_check+pass_rate+pct+target": "70",
        "#indicator+knowledge_check+pass_rate+pct": "68.8",
        "#indicator+knowledge_check+pass_rate+pct+f+target": "70",
        "#indicator+knowledge_check+pass_rate+pct+f": "80.0",
        "#indicator+knowledge_check+pass_rate+pct+m+target": "70",
        "#indicator+knowledge_check+pass_rate+pct+m": "50.0",
    }
