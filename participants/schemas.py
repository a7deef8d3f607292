"""API shapes for participants: identifiers, demographics and counts only. Names and phones stay
on the registrations and the organizer pages; the API never carries them."""

import datetime

from ninja import Schema

from core.schemas import InputSchema, StrictInt


class ParticipantSummaryOut(Schema):
    id: int
    gender: str
    age_band: str
    profile: str
    merged_into_id: int | None


class DuplicateCandidateOut(Schema):
    id: int
    first: ParticipantSummaryOut
    second: ParticipantSummaryOut
    reason: str
    score: int
    status: str
    created_at: datetime.datetime


class ParticipantMergeIn(InputSchema):
    keep_id: StrictInt


class ParticipantMergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    carried_ids: list[int]
    merged_at: datetime.datetime
    undone_at: datetime.datetime | None


class ParticipantDetailOut(Schema):
    id: int
    canonical_id: int
    merged_into_id: int | None
    gender: str
    age_band: str
    profile: str
    birth_year: int | None
    links: int
    events_registered: int
    events_attended: int
    merged_ids: list[int]
