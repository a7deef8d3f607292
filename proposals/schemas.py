"""Schemas of the proposals API. Outputs list their fields: a proposal shown to the public or to
other participants carries no person (a name only where the proposer agreed to it)."""

import datetime

from ninja import Field, Schema

from core.demographics import AgeBand, Gender, Profile
from core.models import Language
from core.schemas import InputSchema, StrictBool, StrictInt


class CallThemeIn(InputSchema):
    name_fr: str = Field(min_length=1, max_length=200)
    name_ar: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)


class CallIn(InputSchema):
    is_open: StrictBool = True
    themes: list[CallThemeIn] = []


class CallThemeOut(Schema):
    id: int
    name_fr: str
    name_ar: str
    name_en: str


class PublicProposalOut(Schema):
    """What anyone sees of an accepted proposal."""

    id: int
    theme_id: int
    title: str
    text: str
    language: str
    proposer_name: str
    endorsement_count: int = 0


class CallOut(Schema):
    event_id: int
    is_open: bool
    themes: list[CallThemeOut]
    accepted: list[PublicProposalOut]


class ProposalIn(InputSchema):
    code: str = Field(min_length=1, max_length=512, description="Ticket or participant-card code.")
    theme_id: StrictInt
    title: str = Field(min_length=1, max_length=140)
    text: str = Field(min_length=1, max_length=2000)
    language: Language
    proposer_name: str = Field("", max_length=120)
    proposer_agreed_to_be_named: StrictBool = False


class ProposalSubmittedOut(Schema):
    id: int
    status: str
    detail: str


class GroupCountIn(InputSchema):
    gender: Gender
    age_band: AgeBand
    profile: Profile = Profile.UNDISCLOSED
    count: StrictInt = Field(ge=0, le=500)


class GroupProposalIn(InputSchema):
    theme_id: StrictInt
    title: str = Field(min_length=1, max_length=140)
    text: str = Field(min_length=1, max_length=2000)
    language: Language
    counts: list[GroupCountIn] = Field(min_length=1, max_length=48)


class TableProposalIn(ProposalIn):
    """Typed in for a participant at a facilitated table, with the participant's code."""


class GroupCountOut(Schema):
    gender: str
    age_band: str
    profile: str
    count: int


class ProposalOut(Schema):
    """What the organizer moderates: the idea, where it came from, no identity."""

    id: int
    call_id: int
    theme_id: int
    title: str
    text: str
    language: str
    source: str
    status: str
    rejection_reason: str
    merged_into_id: int | None
    proposer_name: str
    proposer_agreed_to_be_named: bool
    has_photo: bool
    group_counts: list[GroupCountOut]
    addressed_to_ids: list[int]
    created_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_addressed_to_ids(obj) -> list[int]:
        return sorted(addressee.organization_id for addressee in obj.addressees.all())

    @staticmethod
    def resolve_group_counts(obj) -> list:
        return list(obj.group_counts.all())


class ProposalRejectIn(InputSchema):
    reason: str = Field(min_length=1, max_length=2000)


class ProposalMergeIn(InputSchema):
    into_id: StrictInt


class ProposalAddresseesIn(InputSchema):
    """The partner organisations asked to answer an accepted proposal (the whole set)."""

    organization_ids: list[StrictInt] = Field(max_length=200)


class ProposalEndorseIn(InputSchema):
    code: str = Field(min_length=1, max_length=512)


class EndorsedOut(Schema):
    proposal_id: int
    created: bool
    endorsement_count: int
