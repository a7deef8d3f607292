"""Request and response shapes of the check-in API. Attendee fields are the door minimum."""

import datetime
import uuid
from enum import Enum
from typing import Annotated, Literal

from ninja import Field, Schema

from .models import ScanStatus

ScanStatusEnum = Enum(
    "ScanStatusEnum", {status.upper(): status for status in ScanStatus.values}, type=str
)


class ScanIn(Schema):
    text: str = Field(..., max_length=512)
    session_id: int
    gate: str = Field("", max_length=60)
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    from_lookup: bool = False
    direction: str = Field("entry", pattern="^(entry|exit)$")


class DoorAttendeeOut(Schema):
    first_name: str
    gender: str
    gender_label: str
    age_band: str
    profile: str
    profile_label: str
    group_size: int


class ScanResult(Schema):
    status: ScanStatusEnum
    message: str
    attendee: DoorAttendeeOut | None = None
    admitted_at: datetime.datetime | None = None
    gate: str | None = None


class WalkInGroupIn(Schema):
    gender: str
    age_band: str
    profile: str = "undisclosed"
    count: int = Field(1, ge=0, le=500)


class WalkInIn(Schema):
    session_id: int
    gate: str = Field("", max_length=60)
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    # Either one kind of person (gender/age_band/profile/count) or a breakdown in `groups`.
    gender: str | None = None
    age_band: str | None = None
    profile: str = "undisclosed"
    count: int = Field(1, ge=1, le=500)
    groups: list[WalkInGroupIn] | None = Field(None, max_length=50)


class ClassTallyIn(Schema):
    session_id: int
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    profile: str = "undisclosed"
    groups: list[WalkInGroupIn] = Field(..., min_length=1, max_length=50)


class WalkInResult(Schema):
    status: ScanStatusEnum
    message: str
    headcount: int


class LookupOut(Schema):
    short_code: str
    first_name: str
    gender: str
    gender_label: str
    age_band: str
    group_size: int
    admitted: bool


class SessionCountsOut(Schema):
    session_id: int
    total: int
    by_gender: dict[str, int]
    walk_ins: int
    inside_now: int | None = None


class DoorSessionOut(Schema):
    id: int
    event_id: int
    event_title: str
    label: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    exit_scans_enabled: bool


class DoorMeOut(Schema):
    label: str
    sessions: list[DoorSessionOut]


class ErrorOut(Schema):
    code: str
    detail: str
    errors: dict = {}


class SyncScanIn(Schema):
    """A scan made offline. `ticket_id` + `ticket_hash` when the device found the ticket in its
    pack; otherwise the scanned `text`."""

    type: Literal["scan"]
    nonce: uuid.UUID
    session_id: int
    gate: str = Field("", max_length=60)
    device_time: datetime.datetime
    device_id: str = Field("", max_length=64)
    local_status: str = Field("admitted", max_length=20)
    ticket_id: int | None = None
    ticket_hash: str = Field("", max_length=64)
    text: str = Field("", max_length=512)


class SyncWalkInIn(Schema):
    type: Literal["walk_in"]
    nonce: uuid.UUID
    session_id: int
    gate: str = Field("", max_length=60)
    device_time: datetime.datetime
    device_id: str = Field("", max_length=64)
    groups: list[WalkInGroupIn] = Field(..., min_length=1, max_length=50)


class SyncIn(Schema):
    # The count limit is checked by the service, to answer 413 with a clear message.
    items: list[Annotated[SyncScanIn | SyncWalkInIn, Field(discriminator="type")]]


class SyncItemResult(Schema):
    nonce: uuid.UUID
    kind: str
    status: ScanStatusEnum
    message: str
    conflict: str | None = None
    headcount: int | None = None
    attendee: DoorAttendeeOut | None = None


class SyncOut(Schema):
    results: list[SyncItemResult]
