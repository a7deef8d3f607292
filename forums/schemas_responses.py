"""Shapes of the institutions' answers in the API: what a partner reads and writes about the
subjects addressed to its organisation, and the organizer's follow-up and overdue lists. A
subject is named by its kind and id (forums.subjects), never by a recommendation-only field,
so that another kind of subject changes no shape here."""

import datetime
from typing import Literal

from ninja import Field, Schema

from core.schemas import InputSchema

from .models import Position
from .subjects import SubjectKind, subject_of


class ResponseIn(InputSchema):
    position: Position
    reasons: str = Field("", max_length=4000)


class CommitmentIn(InputSchema):
    what: str = Field(min_length=1, max_length=2000)
    by_whom: str = Field(min_length=1, max_length=200)
    due_on: datetime.date


class CommitmentUpdateIn(InputSchema):
    """A step of a commitment. The optional document is sent through the partner portal's page
    (a multipart form); the API takes the state and the note."""

    state: Literal["in_progress", "done"]
    note: str = Field("", max_length=500)


class CommitmentUpdateOut(Schema):
    id: int
    state: str
    note: str
    document_name: str
    created_at: datetime.datetime


class CommitmentOut(Schema):
    id: int
    what: str
    by_whom: str
    due_on: datetime.date
    state: str
    last_activity_at: datetime.datetime
    updates: list[CommitmentUpdateOut] = []

    @staticmethod
    def resolve_updates(obj) -> list:
        # A just-created commitment has no update to read back.
        return list(obj.updates.all()) if obj.pk else []


class _Subject(Schema):
    subject_kind: SubjectKind
    subject_id: int

    @staticmethod
    def resolve_subject_kind(obj) -> str:
        return subject_of(obj)[0]

    @staticmethod
    def resolve_subject_id(obj) -> int:
        return subject_of(obj)[1]


class ResponseOut(_Subject):
    id: int
    organization_id: int
    position: Position
    reasons: str
    answered_at: datetime.datetime
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_commitments(obj) -> list:
        return list(obj.commitments.all())


class ResponseBriefOut(_Subject):
    id: int
    position: Position
    reasons: str
    answered_at: datetime.datetime


class AddressedOut(Schema):
    """One subject addressed to the partner's organisation, in the contact's language."""

    subject_kind: SubjectKind
    subject_id: int
    event_id: int
    event_title: str
    theme: str
    text: str
    response: ResponseBriefOut | None


class OrganizerCommitmentOut(CommitmentOut):
    overdue: bool = False


class AddresseeOut(Schema):
    organization_id: int
    organization: str
    organization_kind: str
    overdue: bool
    response: ResponseBriefOut | None
    commitments: list[OrganizerCommitmentOut]


class FollowupRowOut(Schema):
    subject_kind: SubjectKind
    subject_id: int
    event_id: int
    theme: str
    text: str
    addressees: list[AddresseeOut]


class RateOut(Schema):
    kind: str
    label: str
    answered: int
    expected: int


class OverdueAnswerOut(Schema):
    subject_kind: SubjectKind
    subject_id: int
    event_id: int
    organization_id: int
    organization: str


class OverdueCommitmentOut(OverdueAnswerOut):
    commitment_id: int
    what: str
    due_on: datetime.date
    state: str


class OverdueOut(Schema):
    answers: list[OverdueAnswerOut]
    commitments: list[OverdueCommitmentOut]


class FollowupOut(Schema):
    rows: list[FollowupRowOut]
    overdue: OverdueOut
    rates: list[RateOut]
