"""Schemas of the figures API (kept apart from the check-in schemas in attendance/schemas.py).
Figures are aggregates only: no schema here has a personal field."""

import datetime
from typing import Literal

from ninja import Field, Schema

from events.models import EventKind

LevelName = Literal["session", "event", "kind", "venue", "school", "organizer", "month", "quarter"]


class FiguresQuery(Schema):
    date_from: datetime.date | None = Field(None, description="First session date counted.")
    date_to: datetime.date | None = Field(None, description="Last session date counted.")
    kind: EventKind | None = None
    quarter: str | None = Field(None, description="A quarter as YYYY-Qn (instead of dates).")
    city: str | None = Field(None, description="City of the session's venue.")
    school: str | None = Field(None, description="School a session was held in.")
    organization: int | None = Field(
        None, description="An organisation that organised or co-organised the event."
    )
    by: list[LevelName] = Field(default_factory=list, description="Groupings to add.")


class ShareOut(Schema):
    value: str
    label: str
    count: int
    base: int
    percent: float | None


class CrossingOut(Schema):
    values: dict[str, str]
    label: str
    count: int
    base: int
    percent: float | None


class BreakdownOut(Schema):
    measure: str
    total: int
    by_dimension: dict[str, list[ShareOut]]
    crossings: dict[str, list[CrossingOut]]


class FiguresOut(Schema):
    attendances: int
    people_reached: int = Field(
        description="registered_people + anonymous_visits: each registered person once, each "
        "walk-in or class headcount once per session."
    )
    children_reached: int
    registered_people: int = Field(
        description="Distinct registered people (canonical participants, merges applied)."
    )
    anonymous_visits: int = Field(
        description="Walk-ins and class headcounts: visits, which may include repeat visitors."
    )
    returning_people: int = Field(description="Registered people who came to 2+ events.")
    regular_people: int = Field(
        description="Registered people who came to at least regular_percent% of the sessions "
        "of an event holding 2+ sessions."
    )
    first_time_people: int = Field(
        description="Registered people whose first counted attendance in the programme is in "
        "the period (or group)."
    )
    events_held: int
    sessions_held: int
    people_proposing: int = Field(
        description="Distinct people who proposed (rejected proposals aside), plus the people "
        "counted in group proposals. Totals of an unfiltered report only; 0 elsewhere."
    )
    people_endorsing: int = Field(description="Distinct people who endorsed a proposal.")
    breakdowns: dict[str, BreakdownOut]


class GroupOut(Schema):
    level: str
    key: str
    label: str
    parent_key: str
    figures: FiguresOut


class TargetProgressOut(Schema):
    target_id: int
    label: str
    measure: str
    measure_label: str
    target_value: int
    current: int
    percent_of_target: float
    remaining: int
    remaining_text: str
    reached: bool
    share_field: str
    share_value: str
    share_value_label: str
    share_min_percent: float | None
    share_count: int | None
    share_base: int | None
    share_percent: float | None
    share_met: bool | None
    share_gap: int | None
    share_gap_text: str
    outcome_base: int | None = None
    outcome_percent: float | None = None


class FiltersOut(Schema):
    date_from: str | None
    date_to: str | None
    kind: str | None
    city: str | None
    school: str | None
    organization: int | None


class DeduplicationOut(Schema):
    registrations: int
    registered_attendees: int
    distinct_participants: int
    text: str


class ThemeRowOut(Schema):
    key: str
    label: str
    proposals: int
    people: BreakdownOut


class ParticipationGroupOut(Schema):
    level: str
    key: str = Field(description="The event's id, or the month's first day (YYYY-MM-01).")
    label: str
    proposals: int
    group_proposals: int
    endorsements: int
    people_proposing: BreakdownOut
    people_endorsing: BreakdownOut
    themes: list[ThemeRowOut]


class ParticipationOut(Schema):
    proposals: int = Field(description="Proposals counted (not rejected, merged ones aside).")
    group_proposals: int
    endorsements: int
    themes: list[ThemeRowOut]
    groups: dict[str, list[ParticipationGroupOut]] = Field(
        description="The same figures per event (whose call the proposal answers) and per month "
        "(when the proposal was made or the endorsement given): keys `event` and `month`. A "
        "person counts once per group, so groups may add up to more than the total."
    )


class ProgrammeFiguresOut(Schema):
    programme_id: int
    filters: FiltersOut
    notes: list[str]
    regular_percent: float
    deduplication: DeduplicationOut
    totals: FiguresOut
    targets: list[TargetProgressOut]
    groups: dict[str, list[GroupOut]]
    participation: ParticipationOut
    participation_filtered: bool = Field(
        description="Filters apply: the totals' people_proposing and people_endorsing are 0 "
        "(proposals are not filtered by sessions, places or dates); `participation` is unfiltered."
    )


class EventFiguresOut(Schema):
    event_id: int
    filters: FiltersOut
    notes: list[str]
    regular_percent: float
    totals: FiguresOut
    groups: dict[str, list[GroupOut]]
    participation: ParticipationOut
    participation_filtered: bool = Field(
        description="Filters apply: the totals' people_proposing and people_endorsing are 0 "
        "(proposals are not filtered by sessions, places or dates); `participation` is unfiltered."
    )


# A count as a partner may see it: the number, "<5" (small) or "x" (hidden to protect another).
Cell = int | str


class CheckGroupOut(Schema):
    answered_pre: Cell
    passed_pre: Cell
    answered_post: Cell
    passed_post: Cell
    paired: Cell
    improved: Cell
    percent_passed_pre: float | None
    percent_passed_post: float | None
    percent_improved: float | None
    mean_score_pre: float | None
    mean_score_post: float | None


class CheckQuestionOut(Schema):
    position: int
    text: str
    percent_correct_pre: float | None
    percent_correct_post: float | None


class KnowledgeCheckOut(Schema):
    question_set_id: int
    title: str
    version: int
    pass_mark: int
    overall: CheckGroupOut
    by: dict[str, dict[str, CheckGroupOut]]
    anonymous_pre: Cell
    anonymous_post: Cell
    questions: list[CheckQuestionOut]


class KnowledgeChecksQuery(Schema):
    shared: bool = False
