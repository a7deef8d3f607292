"""Results of knowledge checks, per session, event or programme, in a constant number of
queries (submissions, answers per question, the questions themselves) whatever the number of
people. Results are per question set version: a version's pre and post figures, its paired
change and its questions are never mixed with another version's.

Paired change: the same person (participant when known, else ticket) answered both the pre- and
the post-check of one event or session. Anonymous submissions count in the pre and post rates
but cannot be paired: `anonymous_pre` / `anonymous_post` say how many were left out.

This is the organizers' exact view; partners see it through reporting, suppressed."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from core.demographics import DIMENSIONS
from events.models import Event, Programme, Session

from .models import Answer, CheckAssignment, Moment, Question, QuestionSet, Submission


@dataclass
class Rate:
    """The figures of a group of submissions."""

    answered: int = 0
    score_total: float = 0.0  # sum of the percentage scores
    passed: int = 0

    def add(self, row) -> None:
        self.answered += 1
        self.score_total += 100 * row["correct"] / row["questions"]
        self.passed += row["passed"]

    @property
    def mean_score(self) -> float | None:
        return round(self.score_total / self.answered, 1) if self.answered else None

    @property
    def percent_passed(self) -> float | None:
        return round(100 * self.passed / self.answered, 1) if self.answered else None


@dataclass
class Paired:
    people: int = 0  # answered both the pre- and the post-check
    improved: int = 0  # passed the post-check, not the pre-check
    passed_pre: int = 0
    passed_post: int = 0

    @property
    def percent_improved(self) -> float | None:
        return round(100 * self.improved / self.people, 1) if self.people else None


@dataclass
class Group:
    """Pre, post and paired figures of everyone, or of one gender, age band or profile."""

    pre: Rate = field(default_factory=Rate)
    post: Rate = field(default_factory=Rate)
    paired: Paired = field(default_factory=Paired)


@dataclass
class QuestionResult:
    question: Question
    answered_pre: int = 0
    correct_pre: int = 0
    answered_post: int = 0
    correct_post: int = 0

    @property
    def percent_correct_pre(self) -> float | None:
        return round(100 * self.correct_pre / self.answered_pre, 1) if self.answered_pre else None

    @property
    def percent_correct_post(self) -> float | None:
        if not self.answered_post:
            return None
        return round(100 * self.correct_post / self.answered_post, 1)


@dataclass
class VersionResults:
    question_set: QuestionSet
    overall: Group = field(default_factory=Group)
    # dimension -> value -> Group, every value of the vocabulary present (zeros included)
    by: dict[str, dict[str, Group]] = field(default_factory=dict)
    questions: list[QuestionResult] = field(default_factory=list)
    anonymous_pre: int = 0
    anonymous_post: int = 0


def _person_key(row):
    if row["participant_id"]:
        return ("participant", row["participant_id"])
    if row["ticket_id"]:
        return ("ticket", row["ticket_id"])
    return None


def _groups_of(results: VersionResults, row) -> list[Group]:
    return [results.overall, *(results.by[name][row[name]] for name in DIMENSIONS)]


def results_for(assignments: QuerySet[CheckAssignment]) -> list[VersionResults]:
    """The results of these checks, one entry per question set version (oldest first)."""
    rows = list(
        Submission.objects.filter(assignment__in=assignments).values(
            "question_set_id",
            "ticket_id",
            "participant_id",
            "gender",
            "age_band",
            "profile",
            "correct",
            "questions",
            "passed",
            "assignment__moment",
            "assignment__event_id",
            "assignment__session_id",
        )
    )
    versions = {row["question_set_id"] for row in rows}
    sets = {
        question_set.pk: question_set
        for question_set in QuestionSet.objects.filter(pk__in=versions).prefetch_related(
            "questions"
        )
    }
    results = {}
    for pk in sorted(sets, key=lambda pk: (sets[pk].title, sets[pk].version, pk)):
        result = VersionResults(
            question_set=sets[pk],
            by={
                name: {value: Group() for value in choices.values}
                for name, choices in DIMENSIONS.items()
            },
            questions=[QuestionResult(question) for question in sets[pk].questions.all()],
        )
        results[pk] = result
    # (version, event, session, person) -> {moment: row}
    people: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        result = results[row["question_set_id"]]
        moment = row["assignment__moment"]
        for group in _groups_of(result, row):
            getattr(group, moment).add(row)
        key = _person_key(row)
        if key is None:
            if moment == Moment.PRE:
                result.anonymous_pre += 1
            else:
                result.anonymous_post += 1
            continue
        place = (row["question_set_id"], row["assignment__event_id"], row["assignment__session_id"])
        people[(*place, key)][moment] = row
    for (version, *_place), moments in people.items():
        if len(moments) < 2:
            continue
        pre, post = moments[Moment.PRE], moments[Moment.POST]
        for group in _groups_of(results[version], post):
            group.paired.people += 1
            group.paired.passed_pre += pre["passed"]
            group.paired.passed_post += post["passed"]
            group.paired.improved += post["passed"] and not pre["passed"]
    _add_question_results(assignments, results)
    return list(results.values())


def _add_question_results(assignments, results: dict[int, VersionResults]) -> None:
    counts = (
        Answer.objects.filter(submission__assignment__in=assignments)
        .values("question_id", "submission__assignment__moment")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
    )
    by_question = {
        item.question.pk: item for result in results.values() for item in result.questions
    }
    for count in counts:
        item = by_question.get(count["question_id"])
        if item is None:
            continue
        moment = count["submission__assignment__moment"]
        setattr(item, f"answered_{moment}", count["answered"])
        setattr(item, f"correct_{moment}", count["correct"])


def results_for_session(session: Session) -> list[VersionResults]:
    return results_for(CheckAssignment.objects.filter(session=session))


def results_for_event(event: Event) -> list[VersionResults]:
    return results_for(CheckAssignment.objects.filter(event=event))


def results_for_programme(programme: Programme) -> list[VersionResults]:
    return results_for(CheckAssignment.objects.filter(event__programme=programme))


def assignment_by_token(token: str) -> CheckAssignment | None:
    """The check a room QR names, with what its answering page shows (a constant few queries)."""
    return (
        CheckAssignment.objects.filter(room_token=token)
        .select_related("event", "session", "question_set")
        .first()
    )


def assignment_questions(assignment: CheckAssignment) -> list[Question]:
    return list(assignment.question_set.questions.prefetch_related("choices"))


def assignments_of_event(event: Event) -> QuerySet[CheckAssignment]:
    return CheckAssignment.objects.filter(event=event).select_related("session", "question_set")


@dataclass(frozen=True)
class PassCount:
    passed: int
    answered: int


def post_check_pass_counts(programme: Programme) -> dict:
    """Who passed the post-checks of the programme, of who took them: `None` -> everyone, and
    (dimension, value) -> that group; summed over the question sets' versions (each person's
    pass is decided by the pass mark of the version they answered). For outcome targets."""
    counts = defaultdict(lambda: [0, 0])
    for version in results_for_programme(programme):
        groups = [(None, version.overall)] + [
            ((name, value), group)
            for name, values in version.by.items()
            for value, group in values.items()
        ]
        for key, group in groups:
            counts[key][0] += group.post.passed
            counts[key][1] += group.post.answered
    return {key: PassCount(*value) for key, value in counts.items()}
