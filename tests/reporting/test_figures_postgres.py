"""The same ground truth on the real PostgreSQL: month/quarter truncation, the left join through
tickets and the conditional sums behave as on SQLite."""

import pytest
from django.db import connection
from django.utils import translation

from reporting.selectors import figures_for_programme


@pytest.mark.postgres
def test_figures_on_postgresql(ground_truth, django_assert_num_queries):
    assert connection.vendor == "postgresql"
    # 6 for the figures, 3 for the proposals, 3 for them per event and per month, 3 for their
    # transaction (savepoint, JIT off, release), 1 for the reach flush before it.
    with translation.override("en"), django_assert_num_queries(18):
        figures = figures_for_programme(
            programme=ground_truth.programme, levels=("month", "quarter")
        )
    totals = figures.totals
    assert (totals.attendances, totals.people_reached, totals.children_reached) == (30, 29, 25)
    assert (totals.events_held, totals.sessions_held) == (2, 3)
    people = totals.breakdowns["people_reached"]
    assert people.share("gender", "female").count == 14
    assert people.crossing(gender="female", age_band="5-11").count == 13
    assert [(g.key, g.figures.people_reached) for g in figures.groups["month"]] == [
        ("2026-10-01", 4),
        ("2026-11-01", 26),
    ]
    assert [(g.label, g.figures.people_reached) for g in figures.groups["quarter"]] == [
        ("Q4 2026", 29)
    ]
