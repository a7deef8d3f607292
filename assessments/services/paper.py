"""Paper answer sheets typed back in by the organizer, a row per sheet: a ticket or card code, or
the person's gender, age band and profile as digits (the sheet prints the legend), then one digit
per question (the number of the answer ticked).

Each row goes through `submission_record` like a phone's answers, with the client id the grid
gave it when it was drawn: sending the grid twice (a double click, a reload) records each sheet
once. Rows are independent: the good ones are stored, the others come back with their message."""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError

from ..models import Channel, CheckAssignment, Question
from .submissions import Recorded, person_anonymous, person_from_code, submission_record

# The digit printed beside each answer of the sheet's "who" box, in the vocabulary's order.
DIGITS = {"gender": Gender, "age_band": AgeBand, "profile": Profile}


def digit_legend() -> dict[str, list[tuple[int, str]]]:
    return {
        name: [(number, label) for number, (_value, label) in enumerate(choices.choices, 1)]
        for name, choices in DIGITS.items()
    }


@dataclass
class PaperRow:
    client_id: uuid.UUID
    code: str = ""
    gender: str = ""
    age_band: str = ""
    profile: str = ""
    answers: str = ""

    @property
    def blank(self) -> bool:
        return not any(
            value.strip()
            for value in (self.code, self.gender, self.age_band, self.profile, self.answers)
        )


def _from_digit(name: str, digit: str) -> str:
    values = DIGITS[name].values
    digit = digit.strip()
    if digit.isdigit() and 1 <= int(digit) <= len(values):
        return values[int(digit) - 1]
    return ""


def _answers(questions: list[Question], digits: str) -> dict[int, int]:
    digits = "".join(ch for ch in digits if not ch.isspace())
    if len(digits) != len(questions) or not digits.isdigit():
        raise ApplicationError(
            _("Type one digit per question (%(count)d digits).") % {"count": len(questions)},
            code="answers_missing",
        )
    answers = {}
    for question, digit in zip(questions, digits, strict=True):
        choices = list(question.choices.all())
        if not 1 <= int(digit) <= len(choices):
            raise ApplicationError(
                _("Question %(position)d has no answer %(digit)s.")
                % {"position": question.position, "digit": digit},
                code="unknown_choice",
            )
        answers[question.pk] = choices[int(digit) - 1].pk
    return answers


def paper_row_record(
    *, assignment: CheckAssignment, row: PaperRow, questions: list[Question]
) -> Recorded:
    answers = _answers(questions, row.answers)
    if row.code.strip():
        person = person_from_code(assignment=assignment, code=row.code)
    else:
        person = person_anonymous(
            gender=_from_digit("gender", row.gender),
            age_band=_from_digit("age_band", row.age_band),
            profile=_from_digit("profile", row.profile),
        )
    return submission_record(
        assignment=assignment,
        person=person,
        answers=answers,
        client_id=row.client_id,
        channel=Channel.PAPER,
    )
