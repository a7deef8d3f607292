"""Ground truth for the proposal figures per event and per month (the world of
tests/proposals/test_figures_ground_truth.py, worked out by hand there): distinct people in each
group, a person counted once per group but in several groups, groups with counts, every
demographic; through the reports, the figures API, the dashboard and the workbooks (exact for
the organizer, suppressed in the copy shared with partners)."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from proposals.models import Proposal, ProposalEndorsement
from proposals.selectors import proposal_figures, proposal_figures_grouped
from reporting.selectors import figures_for_event, figures_for_programme
from tests.factories import MembershipFactory
from tests.proposals.conftest import linked_ticket
from tests.proposals.test_figures_ground_truth import _submit, build

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY = datetime.date(2027, 1, 1), datetime.date(2027, 2, 1)
# The first event's people: Alice, Dan, Eve and the group's 7 (Bob's proposal was rejected).
FIRST_PROPOSING = {
    ("female", "25-59", "migrant"): 1,
    ("male", "25-59", "host"): 1,
    ("male", "12-17", "undisclosed"): 1 + 3,
    ("female", "12-17", "undisclosed"): 4,
}
# The second event's: Alice again, Carla, and Dan (merged into his first record) again.
SECOND_PROPOSING = {
    ("female", "25-59", "migrant"): 1,
    ("female", "60+", "refugee"): 1,
    ("male", "25-59", "host"): 1,
}


def on(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day.replace(day=15), datetime.time(12), tzinfo=timezone.get_default_timezone()
    )


def dated(world):
    """The first event's proposals and endorsements in January, the second's in February, and
    Alice's health idea (first event) in February too: she proposed in both months."""
    Proposal.objects.filter(call__event=world.first).update(created_at=on(JANUARY))
    Proposal.objects.filter(call__event=world.second).update(created_at=on(FEBRUARY))
    Proposal.objects.filter(pk=world.proposals["alice_health"].pk).update(created_at=on(FEBRUARY))
    ProposalEndorsement.objects.filter(proposal__call__event=world.first).update(
        created_at=on(JANUARY)
    )
    ProposalEndorsement.objects.filter(proposal__call__event=world.second).update(
        created_at=on(FEBRUARY)
    )
    return world


@pytest.fixture
def world():
    return dated(build())


def test_per_event_each_event_counts_its_own_people(world):
    groups = proposal_figures_grouped(programme=world.programme)["event"]
    first, second = groups[world.first.pk], groups[world.second.pk]
    assert first.proposing == FIRST_PROPOSING and first.people_proposing == 10
    assert second.proposing == SECOND_PROPOSING and second.people_proposing == 3
    # Alice and Dan proposed at both: 13 over the events, 11 people over the programme.
    assert proposal_figures(programme=world.programme).people_proposing == 11
    assert first.endorsing == {
        ("male", "18-24", "host"): 1,
        ("female", "25-59", "migrant"): 1,
        ("male", "12-17", "undisclosed"): 1,
    }
    assert second.endorsing == {("female", "25-59", "migrant"): 1}
    assert (first.proposals, first.group_proposals, first.endorsements) == (5, 1, 3)
    assert (second.proposals, second.group_proposals, second.endorsements) == (3, 0, 1)


def test_per_event_groups_agree_with_the_event_figures_of_proposals(world):
    # One counting rule: each event's group is what proposals says of that event alone.
    groups = proposal_figures_grouped(programme=world.programme)["event"]
    for event in (world.first, world.second):
        alone = proposal_figures(event=event)
        grouped = groups[event.pk]
        assert grouped.proposing == alone.proposing
        assert grouped.endorsing == alone.endorsing
        assert (grouped.proposals, grouped.group_proposals, grouped.endorsements) == (
            alone.proposals,
            alone.group_proposals,
            alone.endorsements,
        )
        assert [(t.key, t.proposals, t.people) for t in grouped.themes] == [
            (t.key, t.proposals, t.people) for t in alone.themes
        ]


def test_per_month_a_person_counts_once_in_each_month_they_proposed(world):
    groups = proposal_figures_grouped(programme=world.programme)["month"]
    assert set(groups) == {JANUARY, FEBRUARY}
    january, february = groups[JANUARY], groups[FEBRUARY]
    # Alice's living-together idea is January's, her health one February's.
    assert january.proposing == FIRST_PROPOSING
    assert february.proposing == SECOND_PROPOSING  # Alice twice in February: once
    assert {t.key: t.proposals for t in january.themes} == {"Vivre ensemble": 3, "Santé": 1}
    assert {t.key: t.proposals for t in february.themes} == {"Vivre ensemble": 3, "Santé": 1}
    assert january.endorsements == 3 and february.endorsements == 1


def test_reports_carry_the_groups_with_every_demographic(world):
    report = figures_for_programme(programme=world.programme)
    by_event = report.participation.groups["event"]
    assert [g.key for g in by_event] == [str(world.first.pk), str(world.second.pk)]
    first = by_event[0]
    gender = {s.value: s.count for s in first.people_proposing.by_dimension["gender"]}
    assert gender == {"female": 5, "male": 5, "other": 0, "undisclosed": 0}
    age = {s.value: s.count for s in first.people_proposing.by_dimension["age_band"]}
    assert age == {"0-4": 0, "5-11": 0, "12-17": 8, "18-24": 0, "25-59": 2, "60+": 0}
    profile = {s.value: s.count for s in first.people_proposing.by_dimension["profile"]}
    assert profile == {"migrant": 1, "refugee": 0, "host": 1, "undisclosed": 8}
    assert first.people_proposing.crossing(gender="female", age_band="12-17").count == 4
    by_month = report.participation.groups["month"]
    assert [g.key for g in by_month] == ["2027-01-01", "2027-02-01"]
    assert [g.people_proposing.total for g in by_month] == [10, 3]
    # An event report: its own call only, by month.
    event_report = figures_for_event(event=world.second)
    assert [g.key for g in event_report.participation.groups["month"]] == ["2027-02-01"]
    assert event_report.participation.groups["month"][0].people_proposing.total == 3


def test_the_groups_take_a_fixed_number_of_queries(world):
    with CaptureQueriesContext(connection) as few:
        proposal_figures_grouped(programme=world.programme)["month"]
    for _ in range(3):
        more = linked_ticket(world.first)
        _submit(world.proposals["bob"].call, world.proposals["bob"].theme, more.short_code, "X")
    with CaptureQueriesContext(connection) as many:
        proposal_figures_grouped(programme=world.programme)["month"]
    assert len(few) == len(many) == 3


def test_api_dashboard_and_workbooks_show_the_groups(client, world):
    world.programme.small_number_threshold = 5
    world.programme.save()
    client.force_login(MembershipFactory(organization=world.programme.lead_organization).user)
    body = client.get(f"/api/v1/programmes/{world.programme.pk}/figures").json()
    groups = body["participation"]["groups"]
    assert [g["people_proposing"]["total"] for g in groups["event"]] == [10, 3]
    assert [(g["key"], g["endorsements"]) for g in groups["month"]] == [
        ("2027-01-01", 3),
        ("2027-02-01", 1),
    ]
    assert groups["event"][0]["themes"][0]["label"] == "Vivre ensemble"

    base = f"/organizer/programmes/{world.programme.pk}"
    page = client.get(f"{base}/figures/").content.decode()
    assert 'class="figures-table proposals-by-event"' in page
    assert "Propositions par mois" in page and "janvier 2027" in page

    def sheet(query):
        content = client.get(f"{base}/figures.xlsx{query}").content
        rows = openpyxl.load_workbook(io.BytesIO(content))["Propositions"].iter_rows(
            values_only=True
        )
        return {row[0]: row[1:] for row in rows}

    first_title = world.first.title
    exact = sheet("")
    proposed = f"Événement : {first_title} — Personnes ayant proposé"
    # total, then female, male, other, undisclosed
    assert exact[proposed][:5] == (10, 5, 5, 0, 0)
    assert exact["Mois : février 2027 — Personnes ayant proposé"][0] == 3
    assert exact[f"Événement : {first_title} — Thème : Santé"][0] == 2
    shared = sheet("?hxl=1&shared=1")
    # Partners' copy: the one rule hides small figures per group too.
    assert shared[proposed][:3] == (10, 5, 5)
    february = shared["Mois : février 2027 — Personnes ayant proposé"]
    assert february[0] in ("<5", "x") and 3 not in february and 1 not in february
