import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field

from core.schemas import InputSchema, StrictInt


class ChoiceOut(Schema):
    id: int
    text: str
    text_ar: str
    text_en: str
    picture: str | None


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    text_ar: str
    text_en: str
    picture: str | None
    audio: str | None
    choices: list[ChoiceOut]


class CheckOut(Schema):
    title: str
    moment: str
    is_open: bool
    pass_mark: int
    version: int
    questions: list[QuestionOut]


class AnswerIn(InputSchema):
    question: StrictInt
    choice: StrictInt


class SubmissionIn(InputSchema):
    # Made by the phone when the person taps "send": a replay of the same submission (offline
    # queue, lost answer) carries the same id and is recorded once.
    client_id: uuid.UUID
    code: str = Field("", max_length=200)
    gender: str = Field("", max_length=20)
    age_band: str = Field("", max_length=10)
    profile: str = Field("", max_length=20)
    answers: list[AnswerIn] = Field(max_length=20)
    # "oral": the facilitator's phone, tapping the answers a person gives aloud.
    channel: Literal["phone", "oral"] = "phone"


class SubmissionOut(Schema):
    status: str  # "recorded" or "replayed"
    correct: int
    questions: int
    passed: bool
