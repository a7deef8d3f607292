"""Knowledge checks' results as figures: the counts behind each rate (who answered, who passed,
before and after; people paired, people who passed after but not before), each with its
breakdown by gender, age band and profile, and the rates worked out from them.

Shared (a partner's or a donor's copy): every count goes through the one suppression rule
(`suppression.marginals_shown`, as the figures do), and a rate or a mean is given only where
the counts it comes from are shown (a rate of hidden counts would give them back); the share
correct of a question only when at least the programme's smallest shown figure answered it."""

from assessments.selectors import VersionResults, results_for_programme
from core.demographics import DIMENSIONS

from .figures.breakdowns import percent
from .suppression import marginals_shown, small_mark

COUNTS = {
    "answered_pre": lambda group: group.pre.answered,
    "passed_pre": lambda group: group.pre.passed,
    "answered_post": lambda group: group.post.answered,
    "passed_post": lambda group: group.post.passed,
    "paired": lambda group: group.paired.people,
    "improved": lambda group: group.paired.improved,
}


def _marginals(result: VersionResults, count) -> tuple[int, dict]:
    return count(result.overall), {
        name: {value: count(group) for value, group in result.by[name].items()}
        for name in DIMENSIONS
    }


def _rates(cells: dict, means: dict) -> dict:
    """Rates from the cells of one group (a number, or a mark when hidden)."""

    def rate(part, whole):
        shown = isinstance(cells[part], int) and isinstance(cells[whole], int)
        return percent(cells[part], cells[whole]) if shown and cells[whole] else None

    return {
        **cells,
        "percent_passed_pre": rate("passed_pre", "answered_pre"),
        "percent_passed_post": rate("passed_post", "answered_post"),
        "percent_improved": rate("improved", "paired"),
        "mean_score_pre": means["pre"] if isinstance(cells["answered_pre"], int) else None,
        "mean_score_post": means["post"] if isinstance(cells["answered_post"], int) else None,
    }


def _small(count: int, *, shared: bool, threshold: int) -> int | str:
    return small_mark(threshold) if shared and 0 < count < threshold else count


def _version(result: VersionResults, *, shared: bool, threshold: int) -> dict:
    overall, by = (
        {},
        {name: {value: {} for value in choices.values} for name, choices in DIMENSIONS.items()},
    )
    for key, count in COUNTS.items():
        total, marginals = _marginals(result, count)
        if shared:
            total, marginals = marginals_shown(total, marginals, threshold=threshold)
        overall[key] = total
        for name, values in marginals.items():
            for value, cell in values.items():
                by[name][value][key] = cell

    def means(group):
        return {"pre": group.pre.mean_score, "post": group.post.mean_score}

    def question_share(answered, share):
        return share if not shared or answered >= threshold else None

    question_set = result.question_set
    return {
        "question_set_id": question_set.pk,
        "title": question_set.display_title,
        "version": question_set.version,
        "pass_mark": question_set.pass_mark,
        "overall": _rates(overall, means(result.overall)),
        "by": {
            name: {
                value: _rates(cells, means(result.by[name][value]))
                for value, cells in values.items()
            }
            for name, values in by.items()
        },
        "anonymous_pre": _small(result.anonymous_pre, shared=shared, threshold=threshold),
        "anonymous_post": _small(result.anonymous_post, shared=shared, threshold=threshold),
        "questions": [
            {
                "position": item.question.position,
                "text": item.question.display_text,
                "percent_correct_pre": question_share(item.answered_pre, item.percent_correct_pre),
                "percent_correct_post": question_share(
                    item.answered_post, item.percent_correct_post
                ),
            }
            for item in result.questions
        ],
    }


def knowledge_checks_for_programme(*, programme, shared: bool = False) -> list[dict]:
    threshold = programme.small_number_threshold
    return [
        _version(result, shared=shared, threshold=threshold)
        for result in results_for_programme(programme)
    ]
