"""Request and response shapes of the check-in API. Attendee fields are the door minimum."""

import datetime
import uuid
from enum import Enum
from typing import Annotated, Literal

from ninja import Field, Schema

from core.schemas import ErrorOut as ErrorOut  # re-exported: the app's routers import it from here
from core.schemas import InputSchema, StrictBool, StrictInt

from .models import ScanStatus

ScanStatusEnum = Enum(
    "ScanStatusEnum", {status.upper(): status for status in ScanStatus.values}, type=str
)


class ScanIn(InputSchema):
    text: str = Field(..., max_length=512)
    session_id: StrictInt
    gate: str = Field("", max_length=60)
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    from_lookup: StrictBool = False
    direction: str = Field("entry", pattern="^(entry|exit)$")


class DoorAttendeeOut(Schema):
    first_name: str
    gender: str
    gender_label: str
    age_band: str
    profile: str
    profile_label: str
    group_size: int


class GroupMemberOut(Schema):
    """A member of the scanned ticket's household or class, for the scanner's group panel."""

    ticket_id: int
    first_name: str
    gender: str
    gender_label: str
    age_band: str
    status: str  # the ticket's: valid, waitlisted, cancelled
    admitted: bool  # admitted to the session


class ScanResult(Schema):
    status: ScanStatusEnum
    message: str
    attendee: DoorAttendeeOut | None = None
    admitted_at: datetime.datetime | None = None
    gate: str | None = None
    # The scanned ticket's group (household, class), when it has more than one person.
    group: list[GroupMemberOut] | None = None
    # People inside the session after this movement, where the event scans people out.
    inside_now: int | None = None


class GroupAdmitIn(InputSchema):
    """The scanned ticket's text again, and the members chosen in its group."""

    text: str = Field(..., max_length=512)
    session_id: StrictInt
    ticket_ids: list[StrictInt] = Field(..., min_length=1, max_length=100)
    gate: str = Field("", max_length=60)
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    direction: str = Field("entry", pattern="^(entry|exit)$")


class GroupMemberResult(Schema):
    ticket_id: int
    status: ScanStatusEnum
    message: str
    attendee: DoorAttendeeOut | None = None


class GroupAdmitResult(Schema):
    status: ScanStatusEnum
    message: str
    admitted: int
    members: list[GroupMemberResult]
    inside_now: int | None = None


class WalkInGroupIn(InputSchema):
    gender: str
    age_band: str
    profile: str = "undisclosed"
    count: StrictInt = Field(1, ge=0, le=500)


class WalkInIn(InputSchema):
    session_id: StrictInt
    gate: str = Field("", max_length=60)
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    # Either one kind of person (gender/age_band/profile/count) or a breakdown in `groups`.
    gender: str | None = None
    age_band: str | None = None
    profile: str = "undisclosed"
    count: StrictInt = Field(1, ge=1, le=500)
    groups: list[WalkInGroupIn] | None = Field(None, max_length=50)


class ClassTallyIn(InputSchema):
    session_id: StrictInt
    nonce: uuid.UUID
    client_time: datetime.datetime | None = None
    profile: str = "undisclosed"
    groups: list[WalkInGroupIn] = Field(..., min_length=1, max_length=50)


class WalkInResult(Schema):
    status: ScanStatusEnum
    message: str
    headcount: int


class HeartbeatIn(InputSchema):
    """A scanner's state, sent while it has a network: see services/door_devices.py."""

    device_id: str = Field(..., min_length=1, max_length=64)
    session_id: StrictInt
    gate: str = Field("", max_length=60)
    unsynced: StrictInt = Field(..., ge=0, le=1_000_000)


class HeartbeatOut(Schema):
    received_at: datetime.datetime


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
    opens: datetime.datetime
    closes: datetime.datetime


class DoorMeOut(Schema):
    label: str
    sessions: list[DoorSessionOut]


class SyncItemIn(InputSchema):
    """What every item of an offline scanner's queue carries: its own nonce, where and when the
    device recorded it."""

    nonce: uuid.UUID
    session_id: StrictInt
    gate: str = Field("", max_length=60)
    device_time: datetime.datetime
    device_id: str = Field("", max_length=64)


class SyncScanIn(SyncItemIn):
    """A scan made offline. `ticket_id` + `ticket_hash` when the device found the ticket in its
    pack; otherwise the scanned `text`."""

    type: Literal["scan"]
    local_status: str = Field("admitted", max_length=20)
    ticket_id: StrictInt | None = None
    ticket_hash: str = Field("", max_length=64)
    text: str = Field("", max_length=512)


class SyncWalkInIn(SyncItemIn):
    type: Literal["walk_in"]
    groups: list[WalkInGroupIn] = Field(..., min_length=1, max_length=50)


class SyncKnownWalkInIn(SyncItemIn):
    """A participant card without a ticket, admitted offline: the card's id and secret hash as
    the device's pack named it."""

    type: Literal["known_walk_in"]
    card_id: StrictInt
    card_hash: str = Field(..., min_length=1, max_length=64)


class SyncIn(InputSchema):
    # The count limit is checked by the service, to answer 413 with a clear message.
    items: list[
        Annotated[SyncScanIn | SyncWalkInIn | SyncKnownWalkInIn, Field(discriminator="type")]
    ]


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
