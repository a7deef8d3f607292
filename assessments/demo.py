"""Demo knowledge checks for `make run`: a question set on rights and violence on the migration
route (French, Arabic, English) put before and after the demo African fair, with the answers of
its ticket holders (before: some pass; after: more) and two anonymous answers, so the results
page has figures. Idempotent: the set is found by programme and title, answers by ticket."""

import itertools
from dataclasses import dataclass

from django.db import transaction

from events.models import Event, EventKind, Ticket

from .models import CheckAssignment, Choice, Moment, Question, QuestionSet, Submission
from .services.submissions import Person, person_from_code, submission_record

DEMO_PROGRAMME = "vivre-ensemble-oriental"
TITLE = ("Vos droits sur la route", "حقوقك على الطريق", "Your rights on the road")
# (kind, question fr/ar/en, [(answer fr/ar/en, correct)])
QUESTIONS = [
    (
        Question.Kind.TRUE_FALSE,
        (
            "Un employeur a le droit de garder votre passeport.",
            "من حق المشغّل أن يحتفظ بجواز سفرك.",
            "An employer has the right to keep your passport.",
        ),
        [(("Vrai", "صحيح", "True"), False), (("Faux", "خطأ", "False"), True)],
    ),
    (
        Question.Kind.SINGLE,
        (
            "Qui pouvez-vous appeler en cas de violence ?",
            "بمن يمكنك الاتصال في حالة العنف؟",
            "Whom can you call in case of violence?",
        ),
        [
            (("Personne", "لا أحد", "Nobody"), False),
            (
                (
                    "Une association ou une ligne d'écoute",
                    "جمعية أو خط استماع",
                    "An NGO or a helpline",
                ),
                True,
            ),
            (("Seulement la famille", "العائلة فقط", "Only family"), False),
        ],
    ),
    (
        Question.Kind.TRUE_FALSE,
        (
            "Les soins d'urgence sont accessibles même sans papiers.",
            "العلاج الاستعجالي متاح حتى بدون وثائق.",
            "Emergency care is available even without papers.",
        ),
        [(("Vrai", "صحيح", "True"), True), (("Faux", "خطأ", "False"), False)],
    ),
    (
        Question.Kind.SINGLE,
        (
            "Une victime de traite est une personne…",
            "ضحية الاتجار بالبشر شخص…",
            "A victim of trafficking is a person…",
        ),
        [
            (
                (
                    "exploitée par la force ou la tromperie",
                    "مُستغَل بالقوة أو الخداع",
                    "exploited by force or deception",
                ),
                True,
            ),
            (("qui voyage sans visa", "يسافر بدون تأشيرة", "travelling without a visa"), False),
            (("qui travaille à l'étranger", "يعمل في الخارج", "working abroad"), False),
        ],
    ),
]


@dataclass
class DemoResult:
    created_objects: int
    text: str = ""


def _question_set(programme) -> tuple[QuestionSet, bool]:
    existing = QuestionSet.objects.filter(programme=programme, title=TITLE[0]).first()
    if existing is not None:
        return existing, False
    question_set = QuestionSet.objects.create(
        programme=programme, title=TITLE[0], title_ar=TITLE[1], title_en=TITLE[2], pass_mark=75
    )
    for position, (kind, texts, answers) in enumerate(QUESTIONS, 1):
        question = Question.objects.create(
            question_set=question_set,
            position=position,
            kind=kind,
            text=texts[0],
            text_ar=texts[1],
            text_en=texts[2],
        )
        for number, (answer_texts, correct) in enumerate(answers, 1):
            Choice.objects.create(
                question=question,
                position=number,
                text=answer_texts[0],
                text_ar=answer_texts[1],
                text_en=answer_texts[2],
                is_correct=correct,
            )
    return question_set, True


def _answers(question_set, correct: int) -> dict[int, int]:
    answers = {}
    for number, question in enumerate(question_set.questions.prefetch_related("choices")):
        choices = list(question.choices.all())
        wanted = number < correct
        answers[question.pk] = next(c for c in choices if c.is_correct == wanted).pk
    return answers


@transaction.atomic
def demo_load() -> DemoResult:
    fair = (
        Event.objects.filter(programme__code=DEMO_PROGRAMME, kind=EventKind.AFRICAN_FAIR)
        .order_by("pk")
        .first()
    )
    if fair is None:
        return DemoResult(0)
    question_set, created = _question_set(fair.programme)
    checks = {}
    for moment in (Moment.PRE, Moment.POST):
        checks[moment], made = CheckAssignment.objects.get_or_create(
            event=fair, session=None, moment=moment, defaults={"question_set": question_set}
        )
        created += made
    scores = itertools.cycle([(1, 3), (2, 4), (3, 4), (2, 2), (4, 4)])
    tickets = Ticket.objects.filter(event=fair, status=Ticket.Status.VALID).order_by("pk")
    for ticket in tickets:
        before, after = next(scores)
        for moment, correct in ((Moment.PRE, before), (Moment.POST, after)):
            check = checks[moment]
            if Submission.objects.filter(assignment=check, ticket=ticket).exists():
                continue
            person = person_from_code(assignment=check, code=ticket.short_code)
            answers = _answers(check.question_set, correct)
            submission_record(assignment=check, person=person, answers=answers)
            created += 1
    if not checks[Moment.POST].submissions.filter(ticket__isnull=True).exists():
        for gender, correct in (("female", 4), ("male", 3)):
            person = Person(None, None, gender, "18-24", "migrant")
            answers = _answers(checks[Moment.POST].question_set, correct)
            submission_record(assignment=checks[Moment.POST], person=person, answers=answers)
            created += 1
    return DemoResult(created)
