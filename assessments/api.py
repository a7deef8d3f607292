"""The check's room link API: the questions, and one person's answers. The room token in the
path is the credential (whoever is in the room holds it); nothing personal is in it, and a code
typed by the person is looked up only within the check's event and organisation."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from core.errors import ApplicationError
from core.schemas import error_responses

from .models import CheckAssignment
from .schemas import CheckOut, SubmissionIn, SubmissionOut
from .selectors import assignment_questions
from .services.submissions import person_anonymous, person_from_code, submission_record

router = Router(tags=["knowledge checks"])
ERRORS = error_responses(400, 404, 409)


def _media(kind: str, obj, field: str) -> str | None:
    if not getattr(obj, field):
        return None
    return reverse("assessments:media", args=[kind, obj.pk, field])


def check_payload(assignment: CheckAssignment) -> dict:
    """The check as the answering page and the API give it (texts in the three languages)."""
    question_set = assignment.question_set
    return {
        "title": question_set.title,
        "moment": assignment.moment,
        "is_open": assignment.is_open,
        "pass_mark": question_set.pass_mark,
        "version": question_set.version,
        "questions": [
            {
                "id": question.pk,
                "position": question.position,
                "kind": question.kind,
                "text": question.text,
                "text_ar": question.text_ar,
                "text_en": question.text_en,
                "picture": _media("question", question, "picture"),
                "audio": _media("question", question, "audio"),
                "choices": [
                    {
                        "id": choice.pk,
                        "text": choice.text,
                        "text_ar": choice.text_ar,
                        "text_en": choice.text_en,
                        "picture": _media("choice", choice, "picture"),
                    }
                    for choice in question.choices.all()
                ],
            }
            for question in assignment_questions(assignment)
        ],
    }


def _assignment(token: str) -> CheckAssignment:
    return get_object_or_404(
        CheckAssignment.objects.select_related("question_set", "event"), room_token=token
    )


@router.get("/checks/{token}", response={200: CheckOut, **error_responses(404)})
def check_get(request, token: str):
    return check_payload(_assignment(token))


@router.post("/checks/{token}/submissions", response={201: SubmissionOut, **ERRORS})
def submission_create(request, token: str, payload: SubmissionIn):
    assignment = _assignment(token)
    answers = {}
    for answer in payload.answers:
        if answer.question in answers:
            raise ApplicationError(
                _("Question %(id)s is answered twice.") % {"id": answer.question},
                code="answer_repeated",
            )
        answers[answer.question] = answer.choice
    if payload.code.strip():
        person = person_from_code(assignment=assignment, code=payload.code)
    else:
        person = person_anonymous(
            gender=payload.gender, age_band=payload.age_band, profile=payload.profile
        )
    recorded = submission_record(
        assignment=assignment,
        person=person,
        answers=answers,
        client_id=payload.client_id,
        channel=payload.channel,
    )
    submission = recorded.submission
    return Status(
        201,
        {
            "status": "replayed" if recorded.replayed else "recorded",
            "correct": submission.correct,
            "questions": submission.questions,
            "passed": submission.passed,
        },
    )
