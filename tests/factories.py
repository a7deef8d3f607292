"""factory_boy factories for every model, in one place (as pretix and Saleor keep them)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demographics import AgeBand, Gender, Profile
from core.models import Contact, Membership, Organization
from events.codes import new_short_code, new_ticket_secret
from events.models import (
    Attendee,
    Event,
    EventKind,
    EventStatus,
    Programme,
    Registration,
    Session,
    Target,
    Ticket,
    Venue,
)

TODAY = datetime.date(2026, 12, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pass-word-123")
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Association {n}")
    kind = Organization.Kind.NGO
    city = "Oujda"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.ORGANIZER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"prog-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    lead_organization = factory.SubFactory(OrganizationFactory)
    start_date = TODAY - datetime.timedelta(days=90)
    end_date = TODAY + datetime.timedelta(days=365)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    measure = "people_reached"
    value = 800


def share_target(programme, measure, value, share_field, share_value, min_percent):
    """A target with a minimum share of one group (e.g. at least 50 % women)."""
    return TargetFactory(
        programme=programme,
        measure=measure,
        value=value,
        share_field=share_field,
        share_value=share_value,
        share_min_percent=Decimal(min_percent),
    )


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    city = "Oujda"
    capacity = 200


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    organizer = factory.SelfAttribute("programme.lead_organization")
    kind = EventKind.CONVIVIALITY_MEETING
    status = EventStatus.PUBLISHED
    title = factory.Sequence(lambda n: f"Rencontre {n}")
    start_date = TODAY
    end_date = TODAY + datetime.timedelta(days=2)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    date = factory.SelfAttribute("event.start_date")
    start_time = datetime.time(10, 0)
    end_time = datetime.time(12, 0)
    venue = factory.SubFactory(VenueFactory)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    contact_name = factory.Sequence(lambda n: f"Aminata{n}")
    phone = factory.Sequence(lambda n: f"+2126{n:08d}")
    language = "fr"
    consent_contact = True
    consent_recorded_at = factory.LazyFunction(timezone.now)
    consent_wording_version = "2026-1"


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    registration = factory.SubFactory(RegistrationFactory)
    first_name = factory.SelfAttribute("registration.contact_name")
    gender = Gender.FEMALE
    age_band = AgeBand.AGE_25_59
    profile = Profile.MIGRANT
    is_contact = True


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    attendee = factory.SubFactory(AttendeeFactory)
    event = factory.SelfAttribute("attendee.registration.event")
    secret = factory.LazyFunction(new_ticket_secret)
    short_code = factory.LazyFunction(new_short_code)
    status = Ticket.Status.VALID


# Attendance (issue 4) ---------------------------------------------------------------------------


class DoorTokenFactory(factory.django.DjangoModelFactory):
    """A door token nobody knows the raw value of; use attendance.services.tokens.door_token_create
    when a test needs to authenticate with it."""

    class Meta:
        model = "attendance.DoorToken"
        skip_postgeneration_save = True

    label = factory.Sequence(lambda n: f"Volunteer {n}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    token_prefix = factory.Sequence(lambda n: f"{n:06d}")

    @factory.post_generation
    def events(self, create, extracted, **kwargs):
        if create and extracted:
            self.events.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """An admission (pass `ticket=`) or an anonymous walk-in; a class tally is `headcount=N`."""

    class Meta:
        model = "attendance.Attendance"

    session = factory.SubFactory(SessionFactory)
    event = factory.SelfAttribute("session.event")
    ticket = None
    source = "walk_in"
    gender = Gender.FEMALE
    age_band = AgeBand.AGE_25_59
    profile = Profile.MIGRANT
    headcount = 1
    recorded_at = factory.LazyFunction(timezone.now)


def admission_of(session, ticket, **row):
    """The ticket scanned in at the session, recorded with its attendee's demographics unless
    `row` says otherwise (a volunteer may have typed other values)."""
    attendee = ticket.attendee
    values = {
        "gender": attendee.gender,
        "age_band": attendee.age_band,
        "profile": attendee.profile,
        "source": "scan",
    }
    return AttendanceFactory(session=session, ticket=ticket, **{**values, **row})


# Forums (issue 8) --------------------------------------------------------------------------------
from forums.models import Recommendation, Theme, Workshop  # noqa: E402


class ForumEventFactory(EventFactory):
    kind = EventKind.FORUM
    title = factory.Sequence(lambda n: f"Forum {n}")
    end_date = TODAY


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    event = factory.SubFactory(ForumEventFactory)
    name_fr = factory.Sequence(lambda n: f"Thème {n}")
    name_ar = factory.Sequence(lambda n: f"محور {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    position = factory.Sequence(lambda n: n)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    event = factory.SelfAttribute("theme.event")
    theme = factory.SubFactory(ThemeFactory)
    name_fr = factory.Sequence(lambda n: f"Atelier {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    event = factory.SelfAttribute("theme.event")
    text = factory.Sequence(lambda n: f"Recommandation numéro {n} pour l'accès aux droits")
    language = "fr"
    status = Recommendation.Status.DRAFT

    @factory.post_generation
    def addressed_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.addressed_to.set(extracted)


# Rows the admin shows that tests otherwise build by hand ------------------------------------------
from attendance.models import DoorSettings, ScanAttempt, SyncConflict  # noqa: E402
from core.models import AuditEntry  # noqa: E402
from forums.models import ForumSettings, ForumSummary, RapporteurAssignment  # noqa: E402
from notifications.models import (  # noqa: E402
    EventNotificationSettings,
    FeedbackAnswer,
    Message,
    MessageTemplate,
    Suppression,
    WhatsAppTemplate,
)


class DoorSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoorSettings

    event = factory.SubFactory(EventFactory)


class ScanAttemptFactory(factory.django.DjangoModelFactory):
    """An answered scan: by default a code nobody holds, typed at the door."""

    class Meta:
        model = ScanAttempt

    token = factory.SubFactory(DoorTokenFactory)
    session = factory.SubFactory(SessionFactory)
    event = factory.SelfAttribute("session.event")
    action = "entry"
    status = "unknown_ticket"
    text = "ZZZZ-ZZZZ"
    nonce = factory.Faker("uuid4")
    server_time = factory.LazyFunction(timezone.now)


class SyncConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncConflict

    attempt = factory.SubFactory(ScanAttemptFactory)
    token = factory.SelfAttribute("attempt.token")
    session = factory.SelfAttribute("attempt.session")
    kind = SyncConflict.Kind.DOUBLE_ADMISSION
    device_time = factory.LazyFunction(timezone.now)
    detected_at = factory.LazyFunction(timezone.now)


class WhatsAppTemplateFactory(factory.django.DjangoModelFactory):
    """An organisation's own approved WhatsApp template (organization=None for the platform's)."""

    class Meta:
        model = WhatsAppTemplate

    organization = factory.SubFactory(OrganizationFactory)
    purpose = "confirmation"
    language = "fr"
    provider_name = "ngo_confirmation"
    provider_language_code = "fr"
    parameters = factory.LazyFunction(lambda: [["event", "event"], ["codes", "short_code"]])


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    """An organisation's own text (pass organization=None for a platform text)."""

    class Meta:
        model = MessageTemplate

    organization = factory.SubFactory(OrganizationFactory)
    purpose = "confirmation"
    channel = "sms"
    language = "fr"
    body = "Bienvenue {{ name }} : votre code {{ short_code }}."


class EventNotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventNotificationSettings

    event = factory.SubFactory(EventFactory)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    event = factory.SubFactory(EventFactory)
    channel = "sms"
    recipient = factory.Sequence(lambda n: f"+2126{n:08d}")
    recipient_hash = factory.Sequence(lambda n: f"{n:064x}")
    language = "fr"
    purpose = "reminder"
    body = "Rappel"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    scheduled_at = factory.LazyFunction(timezone.now)


class SuppressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suppression

    channel = "sms"
    recipient_hash = factory.Sequence(lambda n: f"{n:064x}")
    source = Suppression.Source.choices[0][0]


class FeedbackAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackAnswer

    event = factory.SubFactory(EventFactory)
    ticket_digest = factory.Sequence(lambda n: f"{n:064x}")
    satisfaction = 4
    language = "fr"


def commitment_accepted(contact, subject, *, what="x", by_whom="y", due_on=None, **extra):
    """The contact's organisation accepts the subject (a recommendation or a participants'
    proposal) and commits to `what`, through the partner's services (an answer is the condition
    of a commitment). `extra` goes to `commitment_add` (`now`). Returns the commitment."""
    from forums.services_responses import commitment_add, response_submit

    subject_id = {f"{subject._meta.model_name}_id": subject.pk}
    response_submit(contact=contact, position="accepted", **subject_id)
    return commitment_add(
        contact=contact,
        what=what,
        by_whom=by_whom,
        due_on=timezone.localdate() if due_on is None else due_on,
        **subject_id,
        **extra,
    )


class ForumSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumSettings

    event = factory.SubFactory(ForumEventFactory)
    next_steps_fr = "Restitution à la commune en janvier."


class RapporteurAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RapporteurAssignment

    event = factory.SubFactory(ForumEventFactory)
    user = factory.SubFactory(UserFactory, is_staff=False)


class ForumSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumSummary

    event = factory.SubFactory(ForumEventFactory)
    number = factory.Sequence(lambda n: n + 1)
    built_at = factory.LazyFunction(timezone.now)
    language = "fr"
    html = "<p>Synthèse</p>"
    pdf = b"%PDF-1.4"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")


class ResponseFactory(factory.django.DjangoModelFactory):
    """An institution's answer to an adopted recommendation addressed to it (written directly:
    tests of the rules go through forums.services_responses)."""

    class Meta:
        model = "forums.Response"

    recommendation = factory.SubFactory(RecommendationFactory, status="adopted")
    organization = factory.SubFactory(OrganizationFactory)
    position = "accepted"
    answered_at = factory.LazyFunction(timezone.now)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.Commitment"

    response = factory.SubFactory(ResponseFactory)
    what = "Ouvrir un guichet"
    by_whom = "Service social"
    due_on = TODAY + datetime.timedelta(days=60)
    last_activity_at = factory.LazyFunction(timezone.now)


class CommitmentUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.CommitmentUpdate"

    commitment = factory.SubFactory(CommitmentFactory)
    state = "in_progress"
    note = "Commencé"
    created_at = factory.LazyFunction(timezone.now)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor_label = "admin"
    action = "test.action"


# Participants ------------------------------------------------------------------------------------

from participants.models import (  # noqa: E402
    DuplicateCandidate,
    Participant,
    ParticipantLink,
    ParticipantMerge,
)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organization = factory.SubFactory(OrganizationFactory)
    gender = Gender.FEMALE
    age_band = AgeBand.AGE_25_59
    profile = Profile.MIGRANT


class ParticipantCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.ParticipantCard"

    participant = factory.SubFactory(ParticipantFactory)
    short_code = factory.LazyFunction(new_short_code)


class ParticipantLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantLink

    attendee = factory.SubFactory(AttendeeFactory)
    participant = factory.SubFactory(
        ParticipantFactory,
        organization=factory.SelfAttribute("..attendee.registration.event.organizer"),
    )


class DuplicateCandidateFactory(factory.django.DjangoModelFactory):
    """A possible duplicate between two new participants of one organisation (first < second)."""

    class Meta:
        model = DuplicateCandidate

    organization = factory.SubFactory(OrganizationFactory)
    first = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..organization")
    )
    second = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..organization")
    )
    reason = DuplicateCandidate.Reason.SAME_PHONE_CLOSE_NAME
    score = 90


class ParticipantMergeFactory(factory.django.DjangoModelFactory):
    """A merge record only (the pointers are the service's business: use participants_merge
    to merge for real)."""

    class Meta:
        model = ParticipantMerge

    organization = factory.SubFactory(OrganizationFactory)
    kept = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..organization")
    )
    merged = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..organization")
    )


# Proposals --------------------------------------------------------------------------------------


class CallForProposalsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.CallForProposals"

    event = factory.SubFactory(EventFactory)
    is_open = True


class CallThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.CallTheme"

    call = factory.SubFactory(CallForProposalsFactory)
    name_fr = factory.Sequence(lambda n: f"Vivre ensemble {n}")
    name_ar = factory.Sequence(lambda n: f"العيش المشترك {n}")
    name_en = factory.Sequence(lambda n: f"Living together {n}")
