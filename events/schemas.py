import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Schema

from core.demographics import AgeBand, Gender, Profile
from core.models import Language, Organization
from core.schemas import InputSchema, StrictBool, StrictInt
from events.codes import format_short_code
from events.models import (
    Event,
    EventKind,
    EventStatus,
    Measure,
    Programme,
    Registration,
    Session,
    Target,
    Ticket,
)
from events.services.events import EVENT_FIELDS, SESSION_FIELDS
from events.services.programmes import PROGRAMME_FIELDS


class OrganizationIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    acronym: str = Field("", max_length=30)
    kind: Organization.Kind
    city: str = Field("", max_length=100)
    website: str = Field("", max_length=200)
    preferred_language: Language = Language.FRENCH


class OrganizationPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    acronym: str | None = Field(None, max_length=30)
    kind: Organization.Kind | None = None
    city: str | None = Field(None, max_length=100)
    website: str | None = Field(None, max_length=200)
    preferred_language: Language | None = None


class OrganizationOut(ModelSchema):
    class Meta:
        model = Organization
        fields = ["id", "name", "acronym", "kind", "city", "website", "preferred_language"]


class TargetIn(InputSchema):
    measure: Measure
    value: StrictInt = Field(gt=0)
    share_field: Target.ShareField | None = None
    share_value: str | None = Field(None, max_length=20)
    share_min_percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)


class TargetOut(ModelSchema):
    label: str

    class Meta:
        model = Target
        fields = ["id", "measure", "value", "share_field", "share_value", "share_min_percent"]

    @staticmethod
    def resolve_label(obj: Target) -> str:
        return str(obj)


class ProgrammeIn(InputSchema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    lead_organization_id: StrictInt
    donor_ids: list[StrictInt] = []
    partner_ids: list[StrictInt] = []
    start_date: datetime.date
    end_date: datetime.date
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("MAD", min_length=3, max_length=3)
    retention_days: StrictInt = Field(180, ge=0, le=3650)
    small_number_threshold: StrictInt = Field(5, ge=1, le=100)
    targets: list[TargetIn] = []


class ProgrammePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    donor_ids: list[StrictInt] | None = None
    partner_ids: list[StrictInt] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    retention_days: StrictInt | None = Field(None, ge=0, le=3650)
    small_number_threshold: StrictInt | None = Field(None, ge=1, le=100)


class ProgrammeOut(ModelSchema):
    targets: list[TargetOut]
    donor_ids: list[int]
    partner_ids: list[int]

    class Meta:
        model = Programme
        fields = ["id", *PROGRAMME_FIELDS]

    @staticmethod
    def resolve_donor_ids(obj: Programme) -> list[int]:
        return [org.pk for org in obj.donors.all()]

    @staticmethod
    def resolve_partner_ids(obj: Programme) -> list[int]:
        return [org.pk for org in obj.partners.all()]


class SessionIn(InputSchema):
    title: str = Field("", max_length=200)
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    venue_id: StrictInt
    school_name: str = Field("", max_length=200)
    class_level: str = Field("", max_length=100)
    capacity: StrictInt | None = Field(None, gt=0)


class SessionPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    venue_id: StrictInt | None = None
    school_name: str | None = Field(None, max_length=200)
    class_level: str | None = Field(None, max_length=100)
    capacity: StrictInt | None = Field(None, gt=0)


class SessionOut(ModelSchema):
    class Meta:
        model = Session
        fields = ["id", "event", *SESSION_FIELDS]


class EventIn(InputSchema):
    programme_id: StrictInt
    kind: EventKind
    title: str = Field(min_length=1, max_length=200)
    title_ar: str = Field("", max_length=200)
    title_en: str = Field("", max_length=200)
    description_fr: str = ""
    description_ar: str = ""
    description_en: str = ""
    organizer_id: StrictInt
    co_organizer_ids: list[StrictInt] = []
    start_date: datetime.date
    end_date: datetime.date
    capacity: StrictInt | None = Field(None, gt=0)
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    languages: list[Language] = Field(default_factory=lambda: list(Language), min_length=1)
    ask_nationality: StrictBool = False
    sessions: list[SessionIn] = []


class EventPatch(InputSchema):
    kind: EventKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    title_ar: str | None = Field(None, max_length=200)
    title_en: str | None = Field(None, max_length=200)
    description_fr: str | None = None
    description_ar: str | None = None
    description_en: str | None = None
    co_organizer_ids: list[StrictInt] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    capacity: StrictInt | None = Field(None, gt=0)
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    languages: list[Language] | None = Field(None, min_length=1)
    ask_nationality: StrictBool | None = None


class EventStatusIn(InputSchema):
    status: EventStatus


class EventDuplicateIn(InputSchema):
    start_date: datetime.date | None = None


class EventOut(ModelSchema):
    co_organizer_ids: list[int]
    sessions: list[SessionOut]
    languages: list[str]  # a JSONField: typed here so the schema does not say "object"

    class Meta:
        model = Event
        # The written fields, with the status (changed by its own endpoint) after the kind.
        fields = ["id", *EVENT_FIELDS[:2], "status", *EVENT_FIELDS[2:]]

    @staticmethod
    def resolve_co_organizer_ids(obj: Event) -> list[int]:
        return [org.pk for org in obj.co_organizers.all()]

    @staticmethod
    def resolve_sessions(obj: Event):
        return obj.sessions.all()


class EventFilter(FilterSchema):
    programme: Annotated[int | None, FilterLookup("programme_id")] = None
    kind: Annotated[EventKind | None, FilterLookup("kind")] = None
    status: Annotated[EventStatus | None, FilterLookup("status")] = None
    date_from: Annotated[datetime.date | None, FilterLookup("end_date__gte")] = None
    date_to: Annotated[datetime.date | None, FilterLookup("start_date__lte")] = None
    search: Annotated[str | None, FilterLookup(["title__icontains", "title_ar__icontains"])] = None


# Registrations and tickets ----------------------------------------------------------------------


class PersonIn(InputSchema):
    first_name: str = Field("", max_length=100)
    gender: Gender
    age_band: AgeBand
    profile: Profile = Profile.UNDISCLOSED
    nationality: str = Field("", max_length=60)


class RegistrationIn(InputSchema):
    contact: PersonIn
    members: list[PersonIn] = Field(default_factory=list, max_length=60)
    kind: Registration.Kind | None = None
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    language: Language = Language.FRENCH
    consent_register: StrictBool
    consent_contact: StrictBool = False
    preferred_channel: Literal["", "whatsapp", "sms", "email"] = ""
    whatsapp_opt_in: StrictBool = False
    session_ids: list[Annotated[StrictInt, Field(gt=0, lt=2**63)]] = []


class TicketOut(ModelSchema):
    """What an organizer needs to hand a ticket over; the page URL carries the secret."""

    short_code: str
    first_name: str
    is_contact: bool
    session_ids: list[int]
    url: str

    class Meta:
        model = Ticket
        fields = ["id", "status", "issued_at", "reissued_at", "cancelled_at"]

    @staticmethod
    def resolve_short_code(obj: Ticket) -> str:
        return format_short_code(obj.short_code)

    @staticmethod
    def resolve_first_name(obj: Ticket) -> str:
        return obj.attendee.first_name

    @staticmethod
    def resolve_is_contact(obj: Ticket) -> bool:
        return obj.attendee.is_contact

    @staticmethod
    def resolve_session_ids(obj: Ticket) -> list[int]:
        return [session.pk for session in obj.sessions.all()]

    @staticmethod
    def resolve_url(obj: Ticket, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class RegistrationOut(ModelSchema):
    tickets: list[TicketOut]
    url: str

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "kind",
            "contact_name",
            "language",
            "consent_contact",
            "consent_recorded_at",
            "consent_wording_version",
            "source",
            "created_at",
        ]

    @staticmethod
    def resolve_tickets(obj: Registration) -> list[Ticket]:
        return [member.ticket for member in obj.members.all() if hasattr(member, "ticket")]

    @staticmethod
    def resolve_url(obj: Registration, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ImportRowErrorOut(Schema):
    line: int
    message: str


class ImportReportOut(Schema):
    dry_run: bool
    rows: int
    registrations: int
    tickets_valid: int
    tickets_waitlisted: int
    errors: list[ImportRowErrorOut]
