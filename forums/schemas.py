import datetime
from typing import Literal

from ninja import Field, ModelSchema, Schema

from core.models import Language
from core.schemas import InputSchema, StrictBool, StrictInt

from .models import Priority, Recommendation
from .services import RECOMMENDATION_FIELDS


class RecommendationIn(InputSchema):
    theme_id: StrictInt
    text: str = Field(min_length=1, max_length=5000)
    language: Language
    text_fr: str = Field("", max_length=5000)
    text_ar: str = Field("", max_length=5000)
    text_en: str = Field("", max_length=5000)
    addressed_to_ids: list[StrictInt] = []
    priority: Priority = Priority.MEDIUM
    proposed_by_workshop_id: StrictInt | None = None
    proposer_name: str = Field("", max_length=120)
    proposer_agreed_to_be_named: StrictBool = False


class RecommendationPatch(InputSchema):
    theme_id: StrictInt | None = None
    text: str | None = Field(None, min_length=1, max_length=5000)
    language: Language | None = None
    text_fr: str | None = Field(None, max_length=5000)
    text_ar: str | None = Field(None, max_length=5000)
    text_en: str | None = Field(None, max_length=5000)
    addressed_to_ids: list[StrictInt] | None = None
    priority: Priority | None = None
    proposed_by_workshop_id: StrictInt | None = None
    proposer_name: str | None = Field(None, max_length=120)
    proposer_agreed_to_be_named: StrictBool | None = None


class RecommendationOut(ModelSchema):
    addressed_to_ids: list[int]
    endorsement_count: int

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "event",
            *RECOMMENDATION_FIELDS,
            "status",
            "merged_into",
            "created_at",
            "updated_at",
            "decided_at",
        ]

    @staticmethod
    def resolve_addressed_to_ids(obj: Recommendation) -> list[int]:
        return sorted(org.pk for org in obj.addressed_to.all())

    @staticmethod
    def resolve_endorsement_count(obj: Recommendation) -> int:
        count = getattr(obj, "endorsement_count", None)
        return obj.endorsements.count() if count is None else count


class ThemeOut(Schema):
    id: int
    name_fr: str
    name_ar: str
    name_en: str
    position: int


class WorkshopOut(Schema):
    id: int
    theme_id: int | None
    name_fr: str
    name_ar: str
    name_en: str


class RapporteurIn(InputSchema):
    user_id: StrictInt
    workshop_id: StrictInt | None = None


class RapporteurOut(Schema):
    id: int
    event_id: int
    user_id: int
    workshop_id: int | None


class MergeIn(InputSchema):
    into_id: StrictInt


class ForumOut(Schema):
    id: int
    title: str
    status: str
    start_date: datetime.date
    end_date: datetime.date


class SummaryVersionIn(InputSchema):
    language: Language | None = None


class SummaryReleaseIn(InputSchema):
    """The confirmation after the preview: the sha256 of the version previewed, and the codes of
    the warnings the organizer accepts (no_recommendations, no_attendance)."""

    sha256: str = Field(max_length=64)
    acknowledged: list[Literal["no_recommendations", "no_attendance"]] = []


class FigureValueOut(Schema):
    value: str
    label: str
    count: str


class FigureRowOut(Schema):
    dimension: str
    title: str
    values: list[FigureValueOut]


class SummaryRecommendationOut(Schema):
    id: int
    text: str
    priority: int
    workshop: str
    proposer_name: str
    endorsements: int
    addressed_to: list[str]
    for_you: bool


class SummaryThemeOut(Schema):
    name: str
    recommendations: list[SummaryRecommendationOut]


class SummaryInstitutionOut(Schema):
    name: str
    is_you: bool
    recommendations: list[SummaryRecommendationOut]


class ForumFactsOut(Schema):
    id: int
    start_date: str
    end_date: str
    programme: str
    organizer: str
    co_organizers: list[str]
    venues: list[str]


class SummaryOut(Schema):
    event_id: int
    version: int
    built_at: datetime.datetime
    # None while the version is a draft that no partner has received.
    released_at: datetime.datetime | None
    sha256: str
    language: str
    title: str
    event: ForumFactsOut
    # A string like every figure shown to partners: "x" when hiding it protects a small figure.
    total_attendances: str
    figures: list[FigureRowOut]
    recommendation_count: int
    endorsement_count: int
    own_recommendations: list[SummaryRecommendationOut]
    themes: list[SummaryThemeOut]
    institutions: list[SummaryInstitutionOut]
    next_steps: str
    pdf_url: str
