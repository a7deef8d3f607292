"""An attacker for suppressed tables, written apart from reporting.suppression so the tests do
not grade that module with its own reasoning.

Given what a partner sees (numbers, `<N` and `x`) and the sums they know hold (each line's parts
add up to its total), it tries, for each hidden cell, every value it could hold, and keeps the
values that do not contradict the visible cells and the sums (checked by narrowing every hidden
cell's interval until nothing changes). A hidden cell left with a single possible value is
recovered."""

import re

SMALL = re.compile(r"^<\s*(\d+)$")


def _domain(shown, cap):
    if isinstance(shown, int):
        return shown, shown
    small = SMALL.match(str(shown))
    if small:
        return 1, int(small.group(1)) - 1
    if str(shown) == "x":
        return 1, cap
    return int(shown), int(shown)


def _consistent(bounds, lines):
    """Narrow the intervals with every sum; False when some interval becomes empty."""
    bounds = dict(bounds)
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            parts_low = sum(bounds[p][0] for p in parts)
            parts_high = sum(bounds[p][1] for p in parts)
            low, high = bounds[total]
            new = (max(low, parts_low), min(high, parts_high))
            if new != (low, high):
                bounds[total], changed = new, True
            for part in parts:
                others_low = parts_low - bounds[part][0]
                others_high = parts_high - bounds[part][1]
                low, high = bounds[part]
                new = (
                    max(low, bounds[total][0] - others_high),
                    min(high, bounds[total][1] - others_low),
                )
                if new != (low, high):
                    bounds[part], changed = new, True
                    parts_low = sum(bounds[p][0] for p in parts)
                    parts_high = sum(bounds[p][1] for p in parts)
            if any(low > high for low, high in bounds.values()):
                return False
    return True


def recovered(shown: dict, lines: list[tuple[tuple, object]]) -> dict:
    """Hidden cells (not plain numbers) whose value is forced, with that value."""
    shown = {
        key: int(value) if isinstance(value, str) and value.isdigit() else value
        for key, value in shown.items()
    }
    numbers = [value for value in shown.values() if isinstance(value, int)]
    cap = max([*numbers, 1]) * 2 + 10
    base = {key: _domain(value, cap) for key, value in shown.items()}
    found = {}
    for key, value in shown.items():
        if isinstance(value, int):
            continue
        low, high = base[key]
        possible = [v for v in range(low, high + 1) if _consistent({**base, key: (v, v)}, lines)]
        if len(possible) == 1:
            found[key] = possible[0]
    return found


def marginal_lines(shown: dict) -> list[tuple[tuple, object]]:
    """Lines of a total and its breakdowns keyed ('total',) and (dimension, value)."""
    dimensions = {key[0] for key in shown if key != "total"}
    return [(tuple(k for k in shown if k != "total" and k[0] == d), "total") for d in dimensions]
