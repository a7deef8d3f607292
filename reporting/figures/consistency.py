"""The figures' consistency check: the fast path (tallies) against a recomputation from every
counted attendance row, compared value by value."""

from dataclasses import asdict

from .reports import LEVELS, figures_for_programme


def _flatten(value, path: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {path: value}
    flat: dict[str, object] = {}
    for key, item in items:
        flat.update(_flatten(item, f"{path}.{key}" if path else str(key)))
    return flat


def figures_differences(*, programme, filters=None) -> list[str]:
    """Every value (totals, each grouping level, breakdowns, targets) where the figures read from
    the tallies differ from the figures recomputed from the rows; empty when they agree."""
    levels = tuple(LEVELS)
    fast = _flatten(
        asdict(figures_for_programme(programme=programme, filters=filters, levels=levels))
    )
    rows = _flatten(
        asdict(
            figures_for_programme(
                programme=programme, filters=filters, levels=levels, source="rows"
            )
        )
    )
    return [
        f"{path}: tallies {fast.get(path)!r}, rows {rows.get(path)!r}"
        for path in sorted(fast.keys() | rows.keys())
        if fast.get(path) != rows.get(path)
    ]
