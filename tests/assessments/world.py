"""A question set of five questions (the third true-or-false), its pre- and post-checks on one
session, and helpers to answer with a chosen number of correct answers."""

import uuid

from assessments.models import CheckAssignment, Choice, Moment, Question, QuestionSet
from assessments.services.submissions import Person, submission_record

QUESTIONS = 5
PASS_MARK = 60  # 3 correct answers out of 5


def question_set_make(programme, *, questions: int = QUESTIONS) -> QuestionSet:
    question_set = QuestionSet.objects.create(
        programme=programme,
        title="Violences sur la route migratoire",
        title_ar="العنف على طريق الهجرة",
        title_en="Violence on the migration route",
        pass_mark=PASS_MARK,
    )
    for position in range(1, questions + 1):
        true_false = position == 3
        question = Question.objects.create(
            question_set=question_set,
            position=position,
            kind=Question.Kind.TRUE_FALSE if true_false else Question.Kind.SINGLE,
            text=f"Question {position} ?",
            text_ar=f"السؤال {position}؟",
            text_en=f"Question {position}?",
        )
        for index in range(2 if true_false else 3):
            Choice.objects.create(
                question=question,
                position=index + 1,
                text=f"Réponse {index + 1}",
                text_ar=f"الجواب {index + 1}",
                text_en=f"Answer {index + 1}",
                is_correct=index == 1,
            )
    return question_set


def checks_make(session, question_set) -> tuple[CheckAssignment, CheckAssignment]:
    def make(moment):
        return CheckAssignment.objects.create(
            question_set=question_set, event=session.event, session=session, moment=moment
        )

    return make(Moment.PRE), make(Moment.POST)


def answers_with(question_set, correct: int) -> dict[int, int]:
    """Answers to every question, the first `correct` of them right and the others wrong."""
    answers = {}
    for number, question in enumerate(question_set.questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        right = next(choice for choice in choices if choice.is_correct)
        wrong = next(choice for choice in choices if not choice.is_correct)
        answers[question.pk] = (right if number < correct else wrong).pk
    return answers


def answer(assignment, person: Person, correct: int, **options):
    return submission_record(
        assignment=assignment,
        person=person,
        answers=answers_with(assignment.question_set, correct),
        client_id=options.pop("client_id", None) or uuid.uuid4(),
        **options,
    )


# A 1×1 PNG: a question's picture where a test needs one stored.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
