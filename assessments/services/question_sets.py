"""Question sets: what makes one answerable, and its versions.

A set that has submissions is frozen: `question_set_new_version` copies it (questions, choices,
pictures and recordings by reference) into version n+1, and the checks that have no submission
yet move to the copy. Checks with submissions keep the version they were answered with, so no
result ever mixes two versions. One successor per version (a one-to-one link, under a row lock):
a second "edit" of the same old version is refused with a clear message, not a fork."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError

from ..models import MAX_QUESTIONS, MIN_QUESTIONS, Choice, Question, QuestionSet, Submission


def question_set_locked(question_set: QuestionSet) -> bool:
    """Whether anyone answered this version (it may then only change by a new version)."""
    return Submission.objects.filter(question_set=question_set).exists()


def question_set_problems(question_set: QuestionSet) -> list[str]:
    """Why the set cannot be answered yet (empty when it can): 3–10 questions, each with at
    least two choices of which exactly one is correct, and true/false with exactly two."""
    problems = []
    questions = list(question_set.questions.prefetch_related("choices"))
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        problems.append(
            _("A question set needs between %(min)d and %(max)d questions (it has %(count)d).")
            % {"min": MIN_QUESTIONS, "max": MAX_QUESTIONS, "count": len(questions)}
        )
    for question in questions:
        choices = list(question.choices.all())
        correct = sum(choice.is_correct for choice in choices)
        if question.kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
            problems.append(
                _("Question %(position)d: a true-or-false question has exactly two answers.")
                % {"position": question.position}
            )
        elif len(choices) < 2:
            problems.append(
                _("Question %(position)d needs at least two answers.")
                % {"position": question.position}
            )
        if correct != 1:
            problems.append(
                ngettext(
                    "Question %(position)d has %(count)d correct answer; it needs exactly one.",
                    "Question %(position)d has %(count)d correct answers; it needs exactly one.",
                    correct,
                )
                % {"position": question.position, "count": correct}
            )
    return problems


def question_set_new_version(*, question_set: QuestionSet) -> QuestionSet:
    """The editable next version of `question_set` (the set itself when nobody answered it)."""
    with transaction.atomic():
        old = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if not question_set_locked(old):
            return old
        if QuestionSet.objects.filter(previous_version=old).exists():
            raise ApplicationError(
                _("This version was already edited: edit its latest version instead."),
                code="already_revised",
                status=409,
            )
        new = QuestionSet.objects.create(
            programme_id=old.programme_id,
            title=old.title,
            title_ar=old.title_ar,
            title_en=old.title_en,
            pass_mark=old.pass_mark,
            version=old.version + 1,
            previous_version=old,
        )
        for question in old.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            question.pk = None
            question.question_set = new
            question.save()
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    position=choice.position,
                    text=choice.text,
                    text_ar=choice.text_ar,
                    text_en=choice.text_en,
                    picture=choice.picture,
                    is_correct=choice.is_correct,
                )
                for choice in choices
            )
        old.checks.filter(submissions__isnull=True).update(question_set=new)
    return new


def question_set_latest(question_set: QuestionSet) -> QuestionSet:
    """The newest version descending from `question_set` (one query per version in between)."""
    while (
        following := QuestionSet.objects.filter(previous_version=question_set).first()
    ) is not None:
        question_set = following
    return question_set
