"""reporting.suppression: small cells hidden as <N, complementary cells hidden so that no
hidden cell can be worked out from the rows, columns and totals left visible."""

import random

import pytest

from reporting.suppression import (
    PRIMARY,
    SECONDARY,
    Line,
    groups_shown,
    marginals_shown,
    recoverable_cells,
    shown_table,
    suppress,
)
from tests.disclosure import marginal_lines, recovered


def _grid(matrix):
    """A table with row totals, column totals and a grand total, as values and lines."""
    values, lines = {}, []
    rows, columns = len(matrix), len(matrix[0])
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            values[(i, j)] = value
        values[(i, "T")] = sum(row)
        lines.append(Line(parts=tuple((i, j) for j in range(columns)), total=(i, "T")))
    for j in range(columns):
        values[("T", j)] = sum(row[j] for row in matrix)
        lines.append(Line(parts=tuple((i, j) for i in range(rows)), total=("T", j)))
    values[("T", "T")] = sum(map(sum, matrix))
    lines.append(Line(parts=tuple((i, "T") for i in range(rows)), total=("T", "T")))
    lines.append(Line(parts=tuple(("T", j) for j in range(columns)), total=("T", "T")))
    sensitive = {(i, j) for i in range(rows) for j in range(columns)}
    return values, lines, sensitive


def _attack(values, lines, hidden, threshold):
    shown = {
        key: ("x" if hidden.get(key) == SECONDARY else f"<{threshold}") if key in hidden else value
        for key, value in values.items()
    }
    return recovered(shown, [(line.parts, line.total) for line in lines])


def test_cell_below_threshold_is_shown_as_less_than_threshold():
    total, shown = marginals_shown(
        30, {"gender": {"female": 3, "male": 12, "other": 15}}, threshold=5
    )
    assert shown["gender"]["female"] == "<5"


def test_zero_and_cells_at_the_threshold_are_shown():
    total, shown = marginals_shown(
        25, {"gender": {"female": 5, "male": 20, "other": 0}}, threshold=5
    )
    assert (total, shown["gender"]) == (25, {"female": 5, "male": 20, "other": 0})


def test_single_hidden_cell_in_a_row_gets_a_complement_the_next_smallest():
    total, shown = marginals_shown(
        40, {"gender": {"female": 1, "male": 9, "other": 30}}, threshold=5
    )
    assert shown["gender"] == {"female": "<5", "male": "x", "other": 30}
    assert total == 40


def test_threshold_is_the_programme_setting():
    _total, shown = marginals_shown(40, {"g": {"a": 7, "b": 33}}, threshold=10)
    assert shown["g"] == {"a": "<10", "b": "x"}


def test_total_is_hidden_when_nothing_else_can_protect_the_small_cell():
    total, shown = marginals_shown(3, {"gender": {"female": 3, "male": 0}}, threshold=5)
    assert shown["gender"]["female"] == "<5" and total == "x"


def test_two_small_cells_whose_sum_pins_them_get_a_third():
    # 1 + 1 = 42 - 40 would give both away although two cells are hidden.
    _total, shown = marginals_shown(
        42, {"gender": {"female": 1, "male": 1, "other": 40}}, threshold=5
    )
    assert shown["gender"] == {"female": "<5", "male": "<5", "other": "x"}


def test_one_girl_12_17_at_a_school_session_cannot_be_recovered_from_any_total():
    # Rows: girls, boys; columns: 5-11, 12-17, 18-24 (the teacher).
    values, lines, sensitive = _grid([[9, 1, 0], [11, 7, 1]])
    hidden = suppress(values, lines, threshold=5, sensitive=sensitive)
    assert hidden[(0, 1)] == PRIMARY
    assert recoverable_cells(values, lines, hidden, threshold=5) == {}
    assert _attack(values, lines, hidden, 5) == {}


def test_secondary_suppression_is_stable_across_rows_and_columns():
    values, lines, sensitive = _grid([[1, 8, 9], [7, 2, 12], [20, 30, 3]])
    hidden = suppress(values, lines, threshold=5, sensitive=sensitive)
    assert {key for key, why in hidden.items() if why == PRIMARY} == {(0, 0), (1, 1), (2, 2)}
    assert _attack(values, lines, hidden, 5) == {}


@pytest.mark.parametrize("seed", range(60))
def test_no_hidden_cell_of_a_random_table_can_be_recovered(seed):
    generator = random.Random(seed)
    rows, columns = generator.randint(1, 4), generator.randint(2, 5)
    matrix = [
        [generator.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 15, 30]) for _ in range(columns)]
        for _ in range(rows)
    ]
    values, lines, sensitive = _grid(matrix)
    hidden = suppress(values, lines, threshold=5, sensitive=sensitive)
    for key in sensitive:
        if 0 < values[key] < 5:
            assert hidden[key] == PRIMARY
        assert values[key] > 0 or key not in hidden  # a zero is never hidden
    assert _attack(values, lines, hidden, 5) == {}, matrix


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_breakdown_of_a_random_group_can_be_recovered(seed):
    generator = random.Random(1000 + seed)
    counts = {
        "gender": [generator.choice([0, 1, 2, 3, 7, 20]) for _ in range(4)],
        "age_band": [0] * 6,
        "profile": [0] * 4,
    }
    # The same people split three ways: every dimension adds up to the same total.
    total = sum(counts["gender"])
    for dimension in ("age_band", "profile"):
        for _person in range(total):
            counts[dimension][generator.randrange(len(counts[dimension]))] += 1
    marginals = {d: {str(i): n for i, n in enumerate(c)} for d, c in counts.items()}
    shown_total, shown = marginals_shown(total, marginals, threshold=5)
    flat = {"total": shown_total} | {
        (d, v): n for d, values in shown.items() for v, n in values.items()
    }
    assert recovered(flat, marginal_lines(flat)) == {}, counts


def test_shown_table_keeps_exact_values_where_nothing_is_small():
    values, lines, _sensitive = _grid([[10, 20], [30, 40]])
    assert shown_table(values, lines, threshold=5) == values


def test_the_attacker_recovers_what_primary_suppression_alone_leaves_open():
    # The checker itself must be able to fail: the old '< N' masking alone gave 14 - 12 away.
    flat = {"total": 14, ("gender", "female"): 12, ("gender", "other"): "<5"}
    assert recovered(flat, marginal_lines(flat)) == {("gender", "other"): 2}
    # And a chain across rows and columns.
    values, lines, _sensitive = _grid([[1, 8], [7, 9]])
    only_primary = {(0, 0): PRIMARY}
    assert _attack(values, lines, only_primary, 5) == {(0, 0): 1}


def _flat_groups(rows):
    """groups_shown's rows as the attacker's cells and lines: each row's breakdowns add up to
    its total, each column of the groups adds up to the overall row."""
    flat, lines = {}, []
    for index, (total, marginals) in enumerate(rows):
        flat[(index, "total")] = total
        for dim, counts in marginals.items():
            keys = tuple((index, (dim, v)) for v in counts)
            flat.update(zip(keys, counts.values(), strict=True))
            lines.append((keys, (index, "total")))
    last = len(rows) - 1
    columns = ["total", *((d, v) for d, counts in rows[-1][1].items() for v in counts)]
    for column in columns:
        lines.append((tuple((i, column) for i in range(last)), (last, column)))
    return flat, lines


def _random_groups(generator, sizes):
    """Groups of anonymous headcounts (three genders, three ages) and their overall row."""
    groups = []
    for _group in range(generator.randint(1, 8)):
        gender = [generator.choice(sizes) for _ in range(3)]
        age = [0, 0, 0]
        for _person in range(sum(gender)):
            age[generator.randrange(3)] += 1
        groups.append(
            (
                sum(gender),
                {
                    "g": dict(zip("fmo", gender, strict=True)),
                    "a": dict(zip("xyz", age, strict=True)),
                },
            )
        )
    overall = (
        sum(total for total, _m in groups),
        {
            dim: {v: sum(m[dim][v] for _t, m in groups) for v in groups[0][1][dim]}
            for dim in ("g", "a")
        },
    )
    return groups, overall


def test_large_totals_stay_published_when_breakdowns_can_protect_the_small_cells():
    # A class of 21 and a class of 12: hiding both classes' totals used to protect the two
    # small cells; hiding breakdowns protects them as well.
    def group(total, f, m, o, a5_11, a12_17, a25_59):
        return (
            total,
            {"g": {"f": f, "m": m, "o": o}, "a": {"x": a5_11, "y": a12_17, "z": a25_59}},
        )

    groups = [group(21, 7, 13, 1, 0, 20, 1), group(12, 4, 8, 0, 0, 8, 4)]
    rows = groups_shown(groups, group(33, 11, 21, 1, 0, 28, 5), threshold=5)
    assert [total for total, _m in rows] == [21, 12, 33]
    assert rows[2][1]["g"]["m"] == 21 and rows[2][1]["a"]["y"] == 28
    assert rows[0][1]["g"]["o"] == "<5"
    assert recovered(*_flat_groups(rows)) == {}


@pytest.mark.parametrize("seed", range(30))
def test_a_hidden_total_is_one_the_small_cells_need(seed):
    """Every total left hidden (an event's people reached, a figure of the overall row) is
    needed: published again on its own, it would let the attacker work out a hidden cell."""
    groups, overall = _random_groups(random.Random(3000 + seed), [0, 1, 2, 6, 12, 21])
    rows = groups_shown(groups, overall, threshold=5)
    flat, lines = _flat_groups(rows)
    exact, _lines = _flat_groups([*groups, overall])
    totals = {total for _parts, total in lines}
    for total in totals:
        if flat[total] == "x":
            assert recovered({**flat, total: exact[total]}, lines) != {}, (total, groups)


@pytest.mark.parametrize("seed", range(30))
def test_groups_and_their_overall_row_are_protected_together(seed):
    # Anonymous headcounts: the overall row is the sum of the groups.
    groups, overall = _random_groups(random.Random(2000 + seed), [0, 1, 2, 6, 12])
    rows = groups_shown(groups, overall, threshold=5)
    flat, lines = _flat_groups(rows)
    assert recovered(flat, lines) == {}, (groups, rows)
    for index, (_total, marginals) in enumerate([*groups, overall]):
        for dim, counts in marginals.items():
            for value, count in counts.items():
                if 0 < count < 5:
                    assert rows[index][1][dim][value] == "<5"
