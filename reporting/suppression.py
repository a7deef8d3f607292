"""Small-number suppression for every figure a partner or the public can see.

A table is a set of named cells and the lines that tie them together: each line says that its
parts add up to its total (the genders of a row add up to the row's people reached; the rows of a
column add up to the programme total). Then:

- primary suppression: a breakdown cell above zero and below the programme's threshold is hidden
  and shown as `<N` (zero is shown: it says that nobody is there, which singles no one out);
- secondary suppression: a hidden cell must not be recoverable from what stays visible. The
  attacker this module defends against knows every visible cell, every line, that a `<N` cell
  holds 1..N-1 and that a hidden cell is never zero; they narrow each hidden cell to an interval,
  line by line, until nothing changes (this finds every subtraction from a row or column total,
  chains of them across rows and columns, and pairs of small cells whose sum gives them away).
  While some hidden cell is pinned to one value, the smallest visible non-zero part of a line
  holding it is hidden too (its total when no part is left), and the attack is run again.

Organizers' own pages never go through here: they keep exact figures."""

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_MARK = "x"
UNBOUNDED = float("inf")


@dataclass(frozen=True)
class Line:
    """parts add up to total (all are cell keys of the same table)."""

    parts: tuple
    total: Hashable

    def members(self) -> tuple:
        return (*self.parts, self.total)


def small_mark(threshold: int) -> str:
    return f"<{threshold}"


def _bounds(values, lines, hidden, threshold):
    """The interval the attacker can narrow each cell to. Visible cells are exact."""
    low, high = {}, {}
    for key, value in values.items():
        if key in hidden:
            low[key] = 1
            high[key] = threshold - 1 if hidden[key] == PRIMARY else UNBOUNDED
        else:
            low[key] = high[key] = value

    def sums(line):
        """Low sum, finite high sum and number of unbounded parts of a line's parts."""
        finite = [high[p] for p in line.parts if high[p] != UNBOUNDED]
        return sum(low[p] for p in line.parts), sum(finite), len(line.parts) - len(finite)

    changed = True
    while changed:
        changed = False
        for line in lines:
            if not any(member in hidden for member in line.members()):
                continue
            parts_low, parts_high, unbounded = sums(line)
            for member in line.members():
                if member not in hidden:
                    continue
                if member == line.total:
                    new_low = parts_low
                    new_high = UNBOUNDED if unbounded else parts_high
                else:
                    own_unbounded = high[member] == UNBOUNDED
                    others_low = parts_low - low[member]
                    if unbounded - own_unbounded:
                        others_high = UNBOUNDED
                    else:
                        others_high = parts_high - (0 if own_unbounded else high[member])
                    new_low = low[line.total] - others_high
                    new_high = high[line.total] - others_low
                if new_low > low[member] or new_high < high[member]:
                    low[member] = max(new_low, low[member])
                    high[member] = min(new_high, high[member])
                    changed = True
                    if member != line.total:
                        parts_low, parts_high, unbounded = sums(line)
    return low, high


def recoverable_cells(
    values: dict, lines: Iterable[Line], hidden: dict, *, threshold: int
) -> dict[Hashable, int]:
    """Hidden cells whose exact value can be worked out from what is shown, with that value."""
    low, high = _bounds(values, list(lines), hidden, threshold)
    return {key: int(low[key]) for key in hidden if low[key] == high[key]}


def _visible_members(lines, values: dict, hidden: dict) -> set:
    return {
        member
        for line in lines
        for member in line.members()
        if member not in hidden and values[member] > 0
    }


def _complement(cell, lines_through: dict, values: dict, hidden: dict, keep: Counter):
    """The next cell to hide to protect `cell`. Totals (`keep`: the event's people reached, the
    programme's men, with how many lines each is the total of) are what readers need most, so a
    breakdown cell is looked for first on the lines through `cell`, then on the lines through
    the hidden cells of those lines (the attack goes through them too: hiding there breaks the
    chain as well); a total only when no breakdown is left, the one that totals fewest lines
    first (a column total before an event's people reached, the grand total last). Then one
    whose other lines already hold a hidden cell (hiding it closes a cycle instead of leaving it
    alone in a new line), then the smallest."""
    through = lines_through.get(cell, [])
    candidates = _visible_members(through, values, hidden)
    if candidates <= keep.keys():
        linked = {member for line in through for member in line.members() if member in hidden}
        ring = {line for member in linked for line in lines_through.get(member, [])}
        candidates |= _visible_members(ring, values, hidden) - keep.keys()
    if not candidates:
        return None

    def lines_left_alone(candidate) -> int:
        return sum(
            1
            for line in lines_through[candidate]
            if line not in through and not any(m in hidden for m in line.members())
        )

    return min(
        candidates,
        key=lambda key: (keep[key], lines_left_alone(key), values[key], str(key)),
    )


def suppress(
    values: dict,
    lines: Iterable[Line],
    *,
    threshold: int,
    sensitive: Iterable | None = None,
    hidden: dict | None = None,
    keep: Counter | None = None,
) -> dict[Hashable, str]:
    """Which cells to hide, and why (PRIMARY or SECONDARY). `sensitive` are the breakdown cells
    that can be primary (all parts of all lines when not given). `keep` counts, for each total,
    the lines it is the total of (from `lines` when not given): totals are hidden only when no
    breakdown cell is left that would protect a cell instead, and published again at the end
    wherever that gives nothing away. `hidden` is a start (cells already known to need
    hiding), to go faster on long tables."""
    lines = list(lines)
    if sensitive is None:
        sensitive = {part for line in lines for part in line.parts}
    keep = Counter(line.total for line in lines) if keep is None else keep
    lines_through: dict = {}
    for line in lines:
        for member in line.members():
            lines_through.setdefault(member, []).append(line)
    hidden = dict(hidden or {})
    hidden.update({key: PRIMARY for key in sensitive if 0 < values[key] < threshold})
    while hidden:
        exposed = recoverable_cells(values, lines, hidden, threshold=threshold)
        # One complement per exposed cell per round, skipping a cell whose lines got one this
        # round already (it may be safe now): few rounds of the attack, even on long tables.
        touched, added = set(), 0
        for cell in sorted(exposed, key=str):
            through = lines_through.get(cell, [])
            if any(line in touched for line in through):
                continue
            complement = _complement(cell, lines_through, values, hidden, keep)
            if complement is not None:
                hidden[complement] = SECONDARY
                touched.update(line for line in through if complement in line.members())
                added += 1
        if not added:
            # Nothing left that could protect them (every other cell is zero or hidden).
            break
    return _publish_totals_again(values, lines, hidden, keep, threshold)


def _publish_totals_again(values, lines, hidden, keep: Counter, threshold) -> dict:
    """Complements are chosen one exposed cell at a time, so a total hidden early may no longer
    be needed once later complements are in place: show each such total again (the grand total
    first, then the largest) when the attack recovers nothing more without it."""
    exposed = set(recoverable_cells(values, lines, hidden, threshold=threshold))
    totals = [key for key, why in hidden.items() if why == SECONDARY and keep[key]]
    for total in sorted(totals, key=lambda key: (-keep[key], -values[key], str(key))):
        trial = {key: why for key, why in hidden.items() if key != total}
        if set(recoverable_cells(values, lines, trial, threshold=threshold)) <= exposed:
            hidden = trial
    return hidden


def shown(value: int, reason: str | None, *, threshold: int) -> int | str:
    """What a partner sees in a cell: the number, `<N`, or `x` for a complementary cell."""
    if reason == PRIMARY:
        return small_mark(threshold)
    if reason == SECONDARY:
        return SECONDARY_MARK
    return value


def shown_table(values: dict, lines: Iterable[Line], *, threshold: int, sensitive=None) -> dict:
    """Every cell as a partner sees it."""
    hidden = suppress(values, lines, threshold=threshold, sensitive=sensitive)
    return {
        key: shown(value, hidden.get(key), threshold=threshold) for key, value in values.items()
    }


TOTAL = "total"


def marginals_shown(
    total: int, marginals: dict[str, dict[str, int]], *, threshold: int
) -> tuple[int | str, dict[str, dict[str, int | str]]]:
    """One group's total and its breakdowns (each dimension's values add up to the total), as a
    partner may see them: the shape of a forum summary and of a row of a shared export."""
    values = {TOTAL: total}
    lines = []
    for dimension, counts in marginals.items():
        keys = tuple((dimension, value) for value in counts)
        values.update(zip(keys, counts.values(), strict=True))
        lines.append(Line(parts=keys, total=TOTAL))
    cells = shown_table(values, lines, threshold=threshold)
    return cells[TOTAL], {
        dimension: {value: cells[(dimension, value)] for value in counts}
        for dimension, counts in marginals.items()
    }


Marginals = tuple[int, dict[str, dict[str, int]]]


def groups_shown(
    groups: list[Marginals], overall: Marginals, *, threshold: int
) -> list[tuple[int | str, dict[str, dict[str, int | str]]]]:
    """Rows of groups (events, sessions) and the overall row, as a partner may see them. In each
    row the breakdowns add up to the row's total; down each column the groups add up to the
    overall figure whenever they really do (anonymous headcounts are additive; a registered
    person who came to two events is one person overall, and then the column is not a sum and
    cannot be subtracted along). The rows and the overall row are protected together, so that
    an overall figure minus the other groups cannot give a hidden one away."""
    rows = [*groups, overall]
    values, lines, sensitive = {}, [], set()
    columns = [TOTAL]
    for dimension, counts in overall[1].items():
        columns += [(dimension, value) for value in counts]
    for index, (total, marginals) in enumerate(rows):
        values[(index, TOTAL)] = total
        for dimension, counts in marginals.items():
            keys = tuple((index, (dimension, value)) for value in counts)
            values.update(zip(keys, counts.values(), strict=True))
            sensitive.update(keys)
            lines.append(Line(parts=keys, total=(index, TOTAL)))
    last = len(rows) - 1
    if groups:
        for column in columns:
            parts = tuple((index, column) for index in range(last))
            if sum(values[part] for part in parts) == values[(last, column)]:
                lines.append(Line(parts=parts, total=(last, column)))
    # The whole table's totals (each row's people reached, the overall row's figures: column
    # totals) are kept even where a row on its own would see them as mere breakdowns.
    keep = Counter(line.total for line in lines)
    # Each row on its own first (small problems, solved fast), then the whole table from there.
    hidden = {}
    for index in range(len(rows)):
        row_lines = [line for line in lines if line.total == (index, TOTAL)]
        row_cells = {member for line in row_lines for member in line.members()}
        hidden.update(
            suppress(
                {key: values[key] for key in row_cells},
                row_lines,
                threshold=threshold,
                sensitive=sensitive & row_cells,
                keep=keep,
            )
        )
    hidden = suppress(
        values, lines, threshold=threshold, sensitive=sensitive, hidden=hidden, keep=keep
    )
    cells = {
        key: shown(value, hidden.get(key), threshold=threshold) for key, value in values.items()
    }
    return [
        (
            cells[(index, TOTAL)],
            {
                dimension: {value: cells[(index, (dimension, value))] for value in counts}
                for dimension, counts in marginals.items()
            },
        )
        for index, (_total, marginals) in enumerate(rows)
    ]
