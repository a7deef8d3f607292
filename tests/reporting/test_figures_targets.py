"""Progress against programme targets: values, shares, conditions and gaps in words."""

from decimal import Decimal

import pytest
from django.utils import translation

from events.models import Measure
from reporting.figures.targets import share_gap
from reporting.selectors import figures_for_programme
from tests.factories import ProgrammeFactory, TargetFactory


def _progress(ground_truth, name):
    figures = figures_for_programme(programme=ground_truth.programme)
    target = getattr(ground_truth.targets, name)
    return next(t for t in figures.targets if t.target_id == target.pk)


def test_people_target_short_of_women_by_one(ground_truth):
    with translation.override("en"):
        progress = _progress(ground_truth, "people_women")
    assert (progress.current, progress.target_value, progress.remaining) == (29, 100, 71)
    assert progress.percent_of_target == 29.0
    assert (progress.share_count, progress.share_base, progress.share_percent) == (14, 29, 48.3)
    assert progress.share_met is False
    assert progress.share_gap == 1
    assert progress.share_gap_text == "1 more woman needed"
    assert progress.remaining_text == "71 more to reach the target"
    assert progress.reached is False


def test_gap_text_is_plural_when_several_are_missing(ground_truth):
    with translation.override("en"):
        progress = _progress(ground_truth, "people_men")
    # 12 men of 29; (12 + x) / (29 + x) >= 60% needs x = 14.
    assert (progress.share_gap, progress.share_gap_text) == (14, "14 more men needed")
    assert progress.remaining == 0 and progress.reached is False


def test_gap_text_is_translated(ground_truth):
    with translation.override("fr"):
        progress = _progress(ground_truth, "people_men")
    assert progress.share_gap_text == "14 hommes de plus nécessaires"


def test_children_target_reached_with_share(ground_truth):
    progress = _progress(ground_truth, "children_girls")
    assert (progress.current, progress.share_count, progress.share_percent) == (25, 13, 52.0)
    assert progress.share_met is True and progress.share_gap == 0 and progress.reached is True


def test_events_held_target(ground_truth):
    progress = _progress(ground_truth, "events")
    assert (progress.current, progress.remaining, progress.share_met) == (2, 1, None)


def test_attendance_share_of_migrants(ground_truth):
    progress = _progress(ground_truth, "attendances_migrants")
    assert (progress.current, progress.share_count, progress.share_met) == (30, 25, True)


def test_empty_programme_has_no_division_by_zero(db):
    programme = ProgrammeFactory()
    TargetFactory(
        programme=programme,
        measure=Measure.PEOPLE_REACHED,
        value=800,
        share_field="gender",
        share_value="female",
        share_min_percent=50,
    )
    TargetFactory(programme=programme, measure=Measure.SESSIONS_HELD, value=10)
    with translation.override("en"):
        people, sessions = figures_for_programme(programme=programme).targets
    assert (people.current, people.percent_of_target, people.share_percent) == (0, 0.0, None)
    assert (people.share_met, people.share_gap, people.share_gap_text) == (
        False,
        1,
        "1 more woman needed",
    )
    assert (sessions.current, sessions.remaining) == (0, 10)


@pytest.mark.parametrize(
    ("count", "base", "percent", "gap"),
    [
        (14, 29, "50", 1),
        (12, 29, "60", 14),
        (5, 10, "50", 0),
        (0, 0, "35", 1),
        (3, 4, "100", None),
        (4, 4, "100", 0),
        (0, 10, "33.33", 5),
    ],
)
def test_share_gap(count, base, percent, gap):
    assert share_gap(count=count, base=base, min_percent=Decimal(percent)) == gap


def test_gap_text_uses_arabic_plural_forms(ground_truth):
    with translation.override("ar"):
        men = _progress(ground_truth, "people_men")
        women = _progress(ground_truth, "people_women")
    assert men.share_gap_text == "مطلوب 14 رجلًا إضافيًا"  # 11–99: singular accusative
    assert women.share_gap_text == "مطلوب امرأة إضافية واحدة (1)"
