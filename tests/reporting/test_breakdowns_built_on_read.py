"""A breakdown's shares and crossings are built from its counts when first read: what they hold
is what an eagerly built breakdown held, in the language the breakdown was made in."""

from dataclasses import asdict

from django.utils import translation

from reporting.figures.breakdowns import Breakdown, breakdown_from_counts

COUNTS = {("female", "5-11", "migrant"): 3, ("male", "25-59", "host"): 1}


def test_shares_and_crossings_from_the_counts():
    breakdown = breakdown_from_counts(COUNTS, "people_reached")
    assert breakdown.total == 4
    female = breakdown.share("gender", "female")
    assert (female.count, female.base, female.percent) == (3, 4, 75.0)
    assert breakdown.share("gender", "other").count == 0
    assert [share.value for share in breakdown.by_dimension["age_band"]] == [
        "0-4",
        "5-11",
        "12-17",
        "18-24",
        "25-59",
        "60+",
    ]
    girls = breakdown.crossing(gender="female", age_band="5-11")
    assert (girls.count, girls.percent) == (3, 75.0)
    assert len(breakdown.crossings["gender_x_age_band"]) == 4 * 6


def test_children_keep_the_child_bands_only():
    breakdown = breakdown_from_counts({("female", "5-11", "migrant"): 3}, "children_reached")
    assert [share.value for share in breakdown.by_dimension["age_band"]] == ["0-4", "5-11", "12-17"]


def test_labels_are_those_of_the_language_the_breakdown_was_made_in():
    with translation.override("fr"):
        breakdown = breakdown_from_counts(COUNTS, "people_reached")
    with translation.override("en"):
        assert breakdown.share("profile", "host").label == "Communauté d'accueil"


def test_equality_and_asdict_see_the_built_shares():
    made = breakdown_from_counts(COUNTS, "people_reached")
    again = breakdown_from_counts(dict(COUNTS), "people_reached")
    assert made == again
    assert made != breakdown_from_counts({("female", "5-11", "migrant"): 4}, "people_reached")
    flat = asdict(made)
    assert flat["by_dimension"]["gender"][0] == {
        "value": "female",
        "label": made.share("gender", "female").label,
        "count": 3,
        "base": 4,
        "percent": 75.0,
    }
    assert set(flat) == {"measure", "total", "by_dimension", "crossings"}


def test_a_breakdown_made_without_counts_is_empty():
    breakdown = Breakdown(measure="attendances", total=0)
    assert (breakdown.by_dimension, breakdown.crossings) == ({}, {})


def test_the_callers_counts_can_change_afterwards():
    counts = dict(COUNTS)
    breakdown = breakdown_from_counts(counts, "people_reached")
    counts[("female", "5-11", "migrant")] = 100
    assert breakdown.share("gender", "female").count == 3
