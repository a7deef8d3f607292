"""Ground truth for the proposal figures: a programme whose every person, group and demographic
is known by hand, checked through the selectors, the programme and event reports, the targets
and the figures API, in a fixed number of queries."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from participants.services.cards import card_issue
from participants.services.merging import participants_merge
from proposals import services
from proposals.selectors import proposal_figures
from reporting.selectors import FigureFilters, figures_for_event, figures_for_programme
from tests.factories import (
    CallThemeFactory,
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TargetFactory,
    TicketFactory,
    share_target,
)

from .conftest import linked_ticket

pytestmark = pytest.mark.django_db


@dataclass
class World:
    programme: object
    first: object
    second: object
    proposals: dict


def _submit(call, theme, code, title):
    return services.proposal_submit(
        call=call, code=code, theme=theme, title=title, text=f"{title}.", language="fr"
    )


def build() -> World:
    programme = ProgrammeFactory()
    org = programme.lead_organization
    first = EventFactory(programme=programme)
    second = EventFactory(programme=programme)
    living = CallThemeFactory(call__event=first, name_fr="Vivre ensemble", name_en="Living")
    health = CallThemeFactory(call=living.call, name_fr="Santé", name_en="Health")
    # The second event's theme has the same French name: one theme across the programme.
    living_2 = CallThemeFactory(call__event=second, name_fr="Vivre ensemble", name_en="Living")
    call_1, call_2 = living.call, living_2.call

    def person(gender, age_band, profile):
        return ParticipantFactory(
            organization=org, gender=gender, age_band=age_band, profile=profile
        )

    alice = person("female", "25-59", "migrant")
    alice_1, alice_2 = (
        linked_ticket(first, participant=alice),
        linked_ticket(second, participant=alice),
    )
    bob = linked_ticket(first, gender="male", age_band="18-24", profile="host")
    carla = card_issue(participant=person("female", "60+", "refugee"), actor=None)
    dan_kept, dan_merged = person("male", "25-59", "host"), person("male", "25-59", "host")
    dan_1 = linked_ticket(first, participant=dan_kept)
    dan_2 = linked_ticket(second, participant=dan_merged)
    # Eve is not known as a participant: her ticket is the person.
    eve = TicketFactory(
        attendee__registration__event=first,
        attendee__gender="male",
        attendee__age_band="12-17",
        attendee__profile="undisclosed",
    )
    p = {
        "alice_living": _submit(call_1, living, alice_1.short_code, "A1"),
        "alice_health": _submit(call_1, health, alice_1.short_code, "A2"),
        "bob": _submit(call_1, living, bob.short_code, "B1"),
        "dan_health": _submit(call_1, health, dan_1.short_code, "D1"),
        "eve_a": _submit(call_1, living, eve.short_code, "E1"),
        "eve_b": _submit(call_1, living, eve.secret, "E2"),
        "alice_2": _submit(call_2, living_2, alice_2.short_code, "A3"),
        "carla": _submit(call_2, living_2, carla.short_code, "C1"),
        "dan_2": _submit(call_2, living_2, dan_2.short_code, "D2"),
    }
    p["group"] = services.proposal_group_enter(
        call=call_1,
        theme=living,
        title="G1",
        text="Groupe.",
        language="ar",
        counts=[
            {"gender": "female", "age_band": "12-17", "count": 4},
            {"gender": "male", "age_band": "12-17", "count": 3},
        ],
        entered_by=None,
    )
    services.proposal_reject(proposal=p["bob"], reason="Hors sujet")
    for key in ("alice_living", "carla"):
        services.proposal_accept(proposal=p[key])
    services.proposal_merge(proposal=p["eve_a"], into=p["alice_living"])
    # Two records of Dan become one person after they proposed.
    participants_merge(kept=dan_kept, merged=dan_merged, actor=None)
    # Endorsers: Bob, Alice (twice, with two tickets, on two proposals), Eve.
    services.proposal_endorse(proposal=p["alice_living"], code=bob.short_code)
    services.proposal_endorse(proposal=p["alice_living"], code=alice_1.short_code)
    services.proposal_endorse(proposal=p["carla"], code=alice_2.short_code)
    services.proposal_endorse(proposal=p["alice_living"], code=eve.short_code)
    return World(programme=programme, first=first, second=second, proposals=p)


# Alice, Carla, Dan, Eve and the group's 7 (Bob's only proposal was rejected).
PROPOSING = {
    ("female", "25-59", "migrant"): 1,
    ("female", "60+", "refugee"): 1,
    ("male", "25-59", "host"): 1,
    ("male", "12-17", "undisclosed"): 1 + 3,
    ("female", "12-17", "undisclosed"): 4,
}
ENDORSING = {
    ("male", "18-24", "host"): 1,
    ("female", "25-59", "migrant"): 1,
    ("male", "12-17", "undisclosed"): 1,
}


def test_programme_counts_distinct_people_and_group_people():
    world = build()
    figures = proposal_figures(programme=world.programme)
    assert figures.proposing == PROPOSING
    assert figures.people_proposing == 11
    assert figures.endorsing == ENDORSING
    assert figures.people_endorsing == 3
    assert figures.endorsements == 4
    # Rejected (Bob) and merged (Eve's first) are not counted as proposals.
    assert (figures.proposals, figures.group_proposals) == (8, 1)
    themes = {theme.key: theme for theme in figures.themes}
    assert themes["Vivre ensemble"].proposals == 6
    assert themes["Vivre ensemble"].people_total == 4 + 7  # Alice, Eve, Carla, Dan + group
    assert themes["Santé"].proposals == 2
    assert themes["Santé"].people == {
        ("female", "25-59", "migrant"): 1,
        ("male", "25-59", "host"): 1,
    }


def test_event_counts_only_its_call():
    world = build()
    figures = proposal_figures(event=world.second)
    assert figures.proposing == {
        ("female", "25-59", "migrant"): 1,
        ("female", "60+", "refugee"): 1,
        ("male", "25-59", "host"): 1,
    }
    assert figures.endorsing == {("female", "25-59", "migrant"): 1}


def test_every_demographic_of_the_report_breakdown():
    world = build()
    report = figures_for_programme(programme=world.programme)
    proposing = report.totals.breakdowns["people_proposing"]
    assert report.totals.people_proposing == 11
    assert report.totals.people_endorsing == 3
    gender = {share.value: share.count for share in proposing.by_dimension["gender"]}
    assert gender == {"female": 6, "male": 5, "other": 0, "undisclosed": 0}
    age = {share.value: share.count for share in proposing.by_dimension["age_band"]}
    assert age == {"0-4": 0, "5-11": 0, "12-17": 8, "18-24": 0, "25-59": 2, "60+": 1}
    profile = {share.value: share.count for share in proposing.by_dimension["profile"]}
    assert profile == {"migrant": 1, "refugee": 1, "host": 1, "undisclosed": 8}
    girls = proposing.crossing(gender="female", age_band="12-17")
    assert (girls.count, girls.base) == (4, 11)
    endorsing = report.totals.breakdowns["people_endorsing"]
    assert {s.value: s.count for s in endorsing.by_dimension["gender"]}["male"] == 2
    by_theme = {row.key: row for row in report.participation.themes}
    assert by_theme["Vivre ensemble"].people.share("gender", "female").count == 1 + 1 + 4


def test_targets_on_people_who_proposed_with_the_gap():
    world = build()
    big = share_target(world.programme, "people_proposing", 1000, "gender", "female", 50)
    small = share_target(world.programme, "people_proposing", 10, "gender", "female", 60)
    endorsing = TargetFactory(programme=world.programme, measure="people_endorsing", value=3)
    with translation.override("en"):
        report = figures_for_programme(programme=world.programme)
    targets = {t.target_id: t for t in report.targets}
    assert (targets[big.pk].current, targets[big.pk].remaining) == (11, 989)
    assert targets[big.pk].share_met is True  # 6 of 11 women
    assert targets[big.pk].reached is False
    # (6 + x) / (11 + x) >= 60% first holds for x = 2.
    assert (targets[small.pk].share_gap, targets[small.pk].share_gap_text) == (
        2,
        "2 more women needed",
    )
    assert targets[small.pk].reached is False
    assert targets[endorsing.pk].reached is True


def test_event_report_and_filtered_report():
    world = build()
    event_report = figures_for_event(event=world.first)
    assert event_report.totals.people_proposing == 2 + 1 + 7  # Alice, Dan, Eve + group
    filtered = figures_for_programme(
        programme=world.programme, filters=FigureFilters(city="Nowhere")
    )
    # Proposals are not filtered by place: they stay out of a filtered report's totals …
    assert filtered.totals.people_proposing == 0
    # … and the targets still measure the whole programme.
    assert filtered.participation.proposals == 8


def test_the_figures_api_carries_the_participation(client):
    world = build()
    organizer = MembershipFactory(organization=world.programme.lead_organization).user
    client.force_login(organizer)
    body = client.get(f"/api/v1/programmes/{world.programme.pk}/figures").json()
    assert body["totals"]["people_proposing"] == 11
    assert body["totals"]["people_endorsing"] == 3
    assert body["participation"]["proposals"] == 8
    assert body["totals"]["breakdowns"]["people_proposing"]["total"] == 11


def test_proposal_figures_take_a_fixed_number_of_queries():
    world = build()
    with CaptureQueriesContext(connection) as few:
        proposal_figures(programme=world.programme)
    for _ in range(3):
        build_more = linked_ticket(world.first)
        _submit(
            world.proposals["bob"].call, world.proposals["bob"].theme, build_more.short_code, "X"
        )
    with CaptureQueriesContext(connection) as more:
        proposal_figures(programme=world.programme)
    assert len(few) == len(more) == 3


def test_dashboard_and_workbooks_show_the_participation(client):
    import io

    import openpyxl

    world = build()
    world.programme.small_number_threshold = 5
    world.programme.save()
    client.force_login(MembershipFactory(organization=world.programme.lead_organization).user)
    base = f"/organizer/programmes/{world.programme.pk}"
    page = client.get(f"{base}/figures/").content.decode()
    assert 'data-measure="people_proposing">11<' in page
    assert 'data-measure="people_endorsing">3<' in page

    def sheet(query):
        body = client.get(f"{base}/figures.xlsx{query}").content
        rows = openpyxl.load_workbook(io.BytesIO(body))["Propositions"].iter_rows(values_only=True)
        return {row[0]: row[1:] for row in rows}

    exact = sheet("")
    # total, then female, male, other, undisclosed, then age bands, then profiles
    assert exact["Personnes ayant proposé"][:5] == (11, 6, 5, 0, 0)
    assert exact["Thème : Santé"][0] == 2
    shared = sheet("?hxl=1&shared=1")
    # 6 women and 5 men stay; the 3 endorsers and every small cell are hidden.
    assert shared["Personnes ayant proposé"][:3] == (11, 6, 5)
    assert "<5" in shared["Personnes ayant soutenu une proposition"]
    assert 3 not in shared["Personnes ayant soutenu une proposition"][1:]
