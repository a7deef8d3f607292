"""Progress of each programme target: current value, share of the demographic it names, whether
the condition holds, and what is still missing, in words a coordinator can act on."""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from assessments.selectors import PassCount, post_check_pass_counts
from events.models import Measure, Target

from .breakdowns import SHARE_MEASURES, Figures, percent


@dataclass
class TargetProgress:
    target_id: int
    label: str
    measure: str
    measure_label: str
    target_value: int
    current: int
    percent_of_target: float
    remaining: int
    remaining_text: str
    reached: bool
    share_field: str = ""
    share_value: str = ""
    share_value_label: str = ""
    share_min_percent: float | None = None
    share_count: int | None = None
    share_base: int | None = None
    share_percent: float | None = None
    # None when there is no demographic condition, or it cannot apply (events, sessions held).
    share_met: bool | None = None
    share_gap: int | None = None
    share_gap_text: str = ""
    # Outcome targets (a pass rate): how many people the rate is of, and the exact rate.
    outcome_base: int | None = None
    outcome_percent: float | None = None


def share_gap(*, count: int, base: int, min_percent: Decimal) -> int | None:
    """How many more people of the named group are needed for their share of the base to reach
    `min_percent`, everything else unchanged: the smallest x with (count+x)/(base+x) >= p.
    None when no number of additions can do it (a 100% condition with others already counted)."""
    p = Fraction(min_percent) / 100
    if base and Fraction(count, base) >= p:
        return 0
    if base == 0:
        return 1  # nobody counted yet: the first person of the group makes the share 100%
    if p == 1:
        return None
    return math.ceil((p * base - count) / (1 - p))


# The missing people of a gender share, named as the people they are: (share value, children?).
GENDER_GAP_TEXTS = {
    ("female", True): ngettext_lazy(
        "%(count)d more girl needed", "%(count)d more girls needed", "count"
    ),
    ("female", False): ngettext_lazy(
        "%(count)d more woman needed", "%(count)d more women needed", "count"
    ),
    ("male", True): ngettext_lazy(
        "%(count)d more boy needed", "%(count)d more boys needed", "count"
    ),
    ("male", False): ngettext_lazy(
        "%(count)d more man needed", "%(count)d more men needed", "count"
    ),
}


def _gap_text(*, gap: int, measure: str, share_field: str, share_value: str, label: str) -> str:
    people = measure != "attendances"
    gender_text = GENDER_GAP_TEXTS.get((share_value, measure == "children_reached"))
    if people and share_field == "gender" and gender_text is not None:
        return gender_text % {"count": gap}
    if people:
        return ngettext(
            "%(count)d more person needed (%(value)s)",
            "%(count)d more people needed (%(value)s)",
            gap,
        ) % {"count": gap, "value": label}
    return ngettext(
        "%(count)d more attendance needed (%(value)s)",
        "%(count)d more attendances needed (%(value)s)",
        gap,
    ) % {"count": gap, "value": label}


def _started(target: Target, *, current: int, remaining: int, remaining_text: str, reached: bool):
    """A target's progress before its demographic condition is measured (the condition's own
    fields copied from the target when it has one)."""
    progress = TargetProgress(
        target_id=target.pk,
        label=str(target),
        measure=target.measure,
        measure_label=str(Measure(target.measure).label),
        target_value=target.value,
        current=current,
        percent_of_target=percent(current, target.value) or 0.0,
        remaining=remaining,
        remaining_text=remaining_text if remaining else _("Target reached"),
        reached=reached,
    )
    if target.share_field:
        progress.share_field = target.share_field
        progress.share_value = target.share_value
        progress.share_value_label = target.share_value_label
        progress.share_min_percent = float(target.share_min_percent)
    return progress


def _share_gap_text(progress: TargetProgress, target: Target, gap: int | None, none_text: str):
    progress.share_gap = gap
    if gap is None:
        progress.share_gap_text = none_text
    elif gap:
        progress.share_gap_text = _gap_text(
            gap=gap,
            measure=target.measure,
            share_field=target.share_field,
            share_value=target.share_value,
            label=target.share_value_label,
        )


def _progress(target: Target, figures: Figures) -> TargetProgress:
    current = figures.measure(target.measure)
    remaining = max(0, target.value - current)
    progress = _started(
        target,
        current=current,
        remaining=remaining,
        remaining_text=ngettext(
            "%(count)d more to reach the target",
            "%(count)d more to reach the target",
            remaining,
        )
        % {"count": remaining},
        reached=remaining == 0,
    )
    if not target.share_field:
        return progress
    if target.measure not in SHARE_MEASURES:
        progress.share_gap_text = _("A demographic share does not apply to this measure.")
        return progress
    breakdown = figures.breakdowns[target.measure]
    share = breakdown.share(target.share_field, target.share_value)
    progress.share_count, progress.share_base, progress.share_percent = (
        share.count,
        share.base,
        share.percent,
    )
    gap = share_gap(count=share.count, base=share.base, min_percent=target.share_min_percent)
    # An empty programme has no share yet: the condition does not hold until someone counts.
    progress.share_met = bool(share.base) and gap == 0
    _share_gap_text(progress, target, gap, _("The required share can no longer be reached."))
    progress.reached = progress.reached and bool(progress.share_met)
    return progress


def _rate(count) -> float | None:
    return percent(count.passed, count.answered) if count and count.answered else None


def _outcome_progress(target: Target, pass_counts: dict) -> TargetProgress:
    """A pass-rate target: the rate in points of percentage, its gap in points; a demographic
    condition asks the same of that group, its gap in people of the group who must pass."""
    overall = pass_counts.get(None)
    rate = _rate(overall)
    current = math.floor(rate) if rate is not None else 0
    remaining = max(0, target.value - current) if rate is not None else target.value
    progress = _started(
        target,
        current=current,
        remaining=remaining,
        remaining_text=(
            _("Nobody has taken a post-check yet.")
            if rate is None
            else ngettext(
                "%(count)d percentage point below the target",
                "%(count)d percentage points below the target",
                remaining,
            )
            % {"count": remaining}
        ),
        reached=rate is not None and remaining == 0,
    )
    progress.outcome_base = overall.answered if overall else 0
    progress.outcome_percent = rate
    if not target.share_field:
        return progress
    group = pass_counts.get((target.share_field, target.share_value)) or PassCount(0, 0)
    progress.share_count, progress.share_base = group.passed, group.answered
    progress.share_percent = _rate(group)
    required = Fraction(target.share_min_percent) / 100
    gap = max(0, math.ceil(required * group.answered - group.passed)) if group.answered else None
    progress.share_met = gap == 0
    _share_gap_text(progress, target, gap, _("Nobody of this group has taken a post-check yet."))
    progress.reached = progress.reached and progress.share_met
    return progress


def target_progress(*, programme, figures: Figures) -> list[TargetProgress]:
    targets = list(Target.objects.filter(programme=programme))
    outcomes = [t for t in targets if t.measure == Measure.POST_CHECK_PASS_RATE]
    pass_counts = post_check_pass_counts(programme) if outcomes else {}
    return [
        _outcome_progress(target, pass_counts)
        if target.measure == Measure.POST_CHECK_PASS_RATE
        else _progress(target, figures)
        for target in targets
    ]
