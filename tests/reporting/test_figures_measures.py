"""Every measure and breakdown against hand-computed ground truth (see conftest.ground_truth).

Counted rows (voided ones excluded):
  S1 (Meeting, 30 Oct): T1 F/25-59/migrant, T2 M/12-17/refugee, T3 O/60+/host, walk-in F/5-11/host
  S2 (Meeting, 2 Nov):  T1 again (typed 'undisclosed', still F), T4 U/0-4/undisclosed,
                        walk-in M/18-24/migrant
  S3 (Campaign, 10 Nov): tallies F/5-11/migrant ×12 and M/5-11/migrant ×10, walk-in U/18-24/refugee
Attendances 4+3+23 = 30; people reached = 4 tickets + 25 anonymous = 29;
children = T2 + T4 + walk-in + 12 + 10 = 25; events held 2; sessions held 3."""

import datetime

import pytest
from django.utils import translation

from events.models import EventKind
from reporting.selectors import FigureFilters, figures_for_event, figures_for_programme
from tests.factories import AttendanceFactory

ALL_LEVELS = ("session", "event", "kind", "venue", "school", "organizer", "month", "quarter")


def _counts(shares):
    return {share.value: share.count for share in shares}


def _by_label(groups):
    return {group.label: group.figures for group in groups}


@pytest.fixture
def figures(ground_truth):
    with translation.override("en"):
        return figures_for_programme(programme=ground_truth.programme, levels=ALL_LEVELS)


def test_headline_measures(figures):
    totals = figures.totals
    assert totals.attendances == 30
    assert totals.people_reached == 29
    assert totals.children_reached == 25
    assert totals.events_held == 2
    assert totals.sessions_held == 3


def test_registered_person_in_two_sessions_counts_once_with_attendee_demographics(figures):
    people = figures.totals.breakdowns["people_reached"]
    assert _counts(people.by_dimension["gender"]) == {
        "female": 14,
        "male": 12,
        "other": 1,
        "undisclosed": 2,
    }
    attendances = figures.totals.breakdowns["attendances"]
    assert _counts(attendances.by_dimension["gender"]) == {
        "female": 15,
        "male": 12,
        "other": 1,
        "undisclosed": 2,
    }


def test_people_by_age_band_and_profile_list_every_value(figures):
    people = figures.totals.breakdowns["people_reached"]
    assert _counts(people.by_dimension["age_band"]) == {
        "0-4": 1,
        "5-11": 23,
        "12-17": 1,
        "18-24": 2,
        "25-59": 1,
        "60+": 1,
    }
    assert _counts(people.by_dimension["profile"]) == {
        "migrant": 24,
        "refugee": 2,
        "host": 2,
        "undisclosed": 1,
    }


def test_children_breakdown_covers_child_bands_only(figures):
    children = figures.totals.breakdowns["children_reached"]
    assert children.total == 25
    assert _counts(children.by_dimension["gender"]) == {
        "female": 13,
        "male": 11,
        "other": 0,
        "undisclosed": 1,
    }
    assert _counts(children.by_dimension["age_band"]) == {"0-4": 1, "5-11": 23, "12-17": 1}


def test_crossings(figures):
    people = figures.totals.breakdowns["people_reached"]
    assert people.crossing(gender="female", age_band="5-11").count == 13
    assert people.crossing(gender="male", age_band="12-17").count == 1
    assert people.crossing(gender="undisclosed", age_band="18-24").count == 1
    assert people.crossing(gender="female", profile="migrant").count == 13
    assert people.crossing(age_band="60+", profile="host").count == 1
    girls = figures.totals.breakdowns["children_reached"].crossing(gender="female", age_band="5-11")
    assert (girls.count, girls.base, girls.percent) == (13, 25, 52.0)
    assert sum(c.count for c in people.crossings["gender_x_age_band"]) == 29


def test_percentages_carry_their_base(figures):
    women = figures.totals.breakdowns["people_reached"].share("gender", "female")
    assert (women.count, women.base, women.percent) == (14, 29, 48.3)
    undisclosed = figures.totals.breakdowns["people_reached"].share("gender", "undisclosed")
    assert (undisclosed.count, undisclosed.percent) == (2, 6.9)


def test_by_session(figures, ground_truth):
    s1, s2, s3, _s4 = ground_truth.sessions
    sessions = {group.key: group.figures for group in figures.groups["session"]}
    assert list(sessions) == [str(s1.pk), str(s2.pk), str(s3.pk)]
    assert (sessions[str(s1.pk)].attendances, sessions[str(s1.pk)].people_reached) == (4, 4)
    assert (sessions[str(s2.pk)].attendances, sessions[str(s2.pk)].people_reached) == (3, 3)
    assert (sessions[str(s3.pk)].attendances, sessions[str(s3.pk)].people_reached) == (23, 23)
    assert sessions[str(s2.pk)].breakdowns["people_reached"].share("gender", "female").count == 1
    assert figures.groups["session"][0].parent_key == str(ground_truth.meeting.pk)


def test_by_event_counts_people_once_per_event(figures):
    events = _by_label(figures.groups["event"])
    assert set(events) == {"Meeting", "Campaign"}
    assert (events["Meeting"].attendances, events["Meeting"].people_reached) == (7, 6)
    assert (events["Meeting"].sessions_held, events["Meeting"].events_held) == (2, 1)
    assert (events["Campaign"].attendances, events["Campaign"].people_reached) == (23, 23)
    assert events["Campaign"].children_reached == 22


def test_by_kind_venue_school_and_organizer(figures):
    kinds = {group.key: group.figures.people_reached for group in figures.groups["kind"]}
    assert kinds == {EventKind.CONVIVIALITY_MEETING: 6, EventKind.SCHOOL_CAMPAIGN: 23}
    venues = {g.label: g.figures.people_reached for g in figures.groups["venue"]}
    assert venues == {"Hall": 6, "School venue": 23}
    schools = {g.key: g.figures.attendances for g in figures.groups["school"]}
    assert schools == {"": 7, "École A": 23}
    organizers = {g.label: g.figures.people_reached for g in figures.groups["organizer"]}
    assert organizers == {"Lead NGO": 6, "School partner": 23}


def test_by_month_and_quarter(figures):
    months = [
        (g.key, g.label, g.figures.attendances, g.figures.people_reached)
        for g in figures.groups["month"]
    ]
    # In time order, not alphabetical ("November" < "October").
    assert months == [("2026-10-01", "October 2026", 4, 4), ("2026-11-01", "November 2026", 26, 26)]
    quarters = [(g.key, g.label, g.figures.people_reached) for g in figures.groups["quarter"]]
    assert quarters == [("2026-10-01", "Q4 2026", 29)]


def test_period_and_kind_filters(ground_truth):
    november = figures_for_programme(
        programme=ground_truth.programme,
        filters=FigureFilters(date_from=datetime.date(2026, 11, 1)),
    )
    assert (november.totals.attendances, november.totals.people_reached) == (26, 26)
    october = figures_for_programme(
        programme=ground_truth.programme, filters=FigureFilters(date_to=datetime.date(2026, 10, 31))
    )
    assert october.totals.people_reached == 4
    schools = figures_for_programme(
        programme=ground_truth.programme, filters=FigureFilters(kind=EventKind.SCHOOL_CAMPAIGN)
    )
    assert (schools.totals.people_reached, schools.totals.events_held) == (23, 1)
    # Targets always measure the whole programme.
    people_target = next(
        t for t in schools.targets if t.target_id == ground_truth.targets.people_women.pk
    )
    assert people_target.current == 29


def test_event_figures(ground_truth):
    figures = figures_for_event(event=ground_truth.meeting)
    assert (figures.totals.attendances, figures.totals.people_reached) == (7, 6)
    assert figures.totals.children_reached == 3
    assert len(figures.groups["session"]) == 2


def test_empty_event_has_zeros_and_no_percentages(ground_truth):
    figures = figures_for_event(event=ground_truth.empty)
    totals = figures.totals
    assert (totals.attendances, totals.people_reached, totals.children_reached) == (0, 0, 0)
    assert (totals.events_held, totals.sessions_held) == (0, 0)
    women = totals.breakdowns["people_reached"].share("gender", "female")
    assert (women.count, women.base, women.percent) == (0, 0, None)
    assert figures.groups["session"] == []


def test_output_says_how_anonymous_rows_are_counted(figures):
    assert any("once in each session" in note for note in figures.notes)


def test_query_count_does_not_grow_with_data(ground_truth, django_assert_num_queries):
    # 1 for the totals (their events and sessions held are the per-event level's, added up), 2
    # per level (8 levels), 1 for the targets, 1 for the de-duplication rate, 3 for the proposals
    # (people who proposed, their groups, people who endorsed), 3 more for them per event and
    # per month, 3 for the figures' transaction (a savepoint inside the test's, JIT off,
    # release) and 1 for the reach flush before it.
    with django_assert_num_queries(29):
        figures_for_programme(programme=ground_truth.programme, levels=ALL_LEVELS)
    s1, _s2, s3, _s4 = ground_truth.sessions
    for _ in range(5):
        AttendanceFactory(session=s1)
        AttendanceFactory(session=s3, source="class_tally", headcount=30)
    with django_assert_num_queries(29):
        figures = figures_for_programme(programme=ground_truth.programme, levels=ALL_LEVELS)
    assert figures.totals.people_reached == 29 + 5 + 150
