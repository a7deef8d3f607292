"""Registrations: one contact person, alone or with the members of a household or class, each
getting a ticket. The public form, the admin, the API and the CSV import all come through
registration_create."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError
from core.models import Language
from core.phones import phone_to_e164
from events import signals
from events.models import Attendee, Event, EventStatus, Registration, Session, Ticket

from .tickets import event_lock, tickets_issue

# The version of the consent sentences shown on the form; stored with each registration so we can
# tell later exactly what a person agreed to. Change it whenever the wording changes.
CONSENT_WORDING_VERSION = "2026-1"
# The same for the WhatsApp opt-in sentence, recorded only when the person ticked it.
WHATSAPP_OPT_IN_WORDING_VERSION = "2026-wa1"
# A school class with its teachers is the largest group we expect from one contact.
MAX_MEMBERS = 60


@dataclass(frozen=True)
class PersonData:
    """What we ask about each person: only what the programme's figures need."""

    gender: str
    age_band: str
    first_name: str = ""
    profile: str = Profile.UNDISCLOSED
    nationality: str = ""


def registration_window_check(*, event: Event, now=None) -> None:
    """Raise ApplicationError unless the public may register for `event` right now."""
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise ApplicationError(
            _("Registration is not open for this event."), code="event_not_open", status=409
        )
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ApplicationError(
            _("Registration has not opened yet."), code="registration_not_open_yet", status=409
        )
    closes_at = event.registration_closes_at
    if (closes_at and now >= closes_at) or timezone.localdate(now) > event.end_date:
        raise ApplicationError(
            _("Registration for this event is closed."), code="registration_closed", status=409
        )


def person_check(person: PersonData, field: str, *, event: Event, errors: dict) -> None:
    if person.gender not in Gender.values:
        errors.setdefault(f"{field}.gender", []).append(_("Choose a gender from the list."))
    if person.age_band not in AgeBand.values:
        errors.setdefault(f"{field}.age_band", []).append(_("Choose an age band from the list."))
    if person.profile not in Profile.values:
        errors.setdefault(f"{field}.profile", []).append(_("Choose a profile from the list."))
    if any("\x00" in text for text in (person.first_name, person.nationality)):
        # PostgreSQL refuses NUL characters in text; a script may still send them.
        errors.setdefault(f"{field}.first_name", []).append(_("Remove the invalid characters."))
    if len(person.first_name) > 100:
        errors.setdefault(f"{field}.first_name", []).append(_("At most 100 characters."))
    if person.nationality and not event.ask_nationality:
        errors.setdefault(f"{field}.nationality", []).append(
            _("This event does not ask for nationality.")
        )
    if len(person.nationality) > 60:
        errors.setdefault(f"{field}.nationality", []).append(_("At most 60 characters."))


def contact_channels_clean(phone: str, email: str, errors: dict) -> tuple[str, str]:
    try:
        phone = phone_to_e164(phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    return phone, email


def preferred_channel_check(
    channel: str, whatsapp_opt_in: bool, *, phone: str, email: str, errors: dict
) -> None:
    """A chosen channel needs its address, and WhatsApp needs the explicit opt-in."""
    if channel and channel not in Registration.Channel.values:
        errors["preferred_channel"] = [_("Choose WhatsApp, SMS or e-mail.")]
        return
    if channel == Registration.Channel.WHATSAPP and not whatsapp_opt_in:
        errors["whatsapp_opt_in"] = [_("Tick the WhatsApp agreement to get messages there.")]
    if whatsapp_opt_in and not phone and "phone" not in errors:
        errors["phone"] = [_("Give the phone number you use on WhatsApp.")]
    if channel in (Registration.Channel.WHATSAPP, Registration.Channel.SMS) and not phone:
        errors.setdefault("phone", [_("Give a phone number for this channel.")])
    if channel == Registration.Channel.EMAIL and not email and "email" not in errors:
        errors["email"] = [_("Give an e-mail address for this channel.")]


def registration_create(
    *,
    event: Event,
    contact: PersonData,
    members: Iterable[PersonData] = (),
    kind: str | None = None,
    phone: str = "",
    email: str = "",
    language: str = Language.FRENCH,
    consent_register: bool,
    consent_contact: bool,
    source: str,
    sessions: Iterable[Session] = (),
    enforce_window: bool | None = None,
    preferred_channel: str = "",
    whatsapp_opt_in: bool = False,
) -> Registration:
    """Register `contact` and `members` for `event`; every person gets a ticket, valid if the whole
    group fits and on the waiting list otherwise. The public form must respect the registration
    window; organizers (admin, API, import) may still add people to a draft or a late event."""
    members = list(members)
    sessions = list(sessions)
    errors: dict[str, list[str]] = {}
    if not consent_register:
        errors["consent_register"] = [_("Registration needs your agreement.")]
    if len(members) > MAX_MEMBERS:
        errors["members"] = [_("At most %(max)s members per registration.") % {"max": MAX_MEMBERS}]
    person_check(contact, "contact", event=event, errors=errors)
    for index, member in enumerate(members, start=1):
        person_check(member, f"members.{index}", event=event, errors=errors)
    phone, email = contact_channels_clean(phone, email, errors)
    if language not in Language.values:
        errors["language"] = [_("Choose French, Arabic or English.")]
    preferred_channel_check(
        preferred_channel, whatsapp_opt_in, phone=phone, email=email, errors=errors
    )
    if kind is None or (members and kind == Registration.Kind.INDIVIDUAL):
        # Someone who ticked "only myself" and then added people registers a household.
        kind = Registration.Kind.HOUSEHOLD if members else Registration.Kind.INDIVIDUAL
    if kind not in Registration.Kind.values:
        errors["kind"] = [_("Unknown kind of registration.")]
    if any(session.event_id != event.pk for session in sessions):
        errors["sessions"] = [_("These sessions do not belong to this event.")]
    if source not in Registration.Source.values:
        raise ValueError(f"Unknown registration source: {source}")
    if errors:
        raise ApplicationError(
            _("Please correct the errors below."), code="invalid", field_errors=errors
        )
    if enforce_window is None:
        enforce_window = source == Registration.Source.WEB

    with transaction.atomic():
        # Lock the event before inserting anything that references it: the foreign-key checks of
        # those inserts take a share lock on the event row, and two transactions each holding one
        # while waiting for the exclusive lock would deadlock. It also makes the status checks
        # below see a status that cannot change until we commit.
        event = event_lock(event=event)
        if event.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
            raise ApplicationError(
                _("This event is closed or cancelled."), code="event_not_open", status=409
            )
        if enforce_window:
            registration_window_check(event=event)
        now = timezone.now()
        registration = Registration.objects.create(
            event=event,
            kind=kind,
            contact_name=contact.first_name.strip(),
            phone=phone,
            email=email,
            language=language,
            consent_contact=consent_contact,
            # Consent to register is a condition of the row existing; the timestamp and wording
            # version cover both answers given on the same form.
            consent_recorded_at=now,
            consent_wording_version=CONSENT_WORDING_VERSION,
            preferred_channel=preferred_channel,
            whatsapp_opt_in=whatsapp_opt_in,
            whatsapp_opt_in_recorded_at=now if whatsapp_opt_in else None,
            whatsapp_opt_in_wording_version=WHATSAPP_OPT_IN_WORDING_VERSION
            if whatsapp_opt_in
            else "",
            source=source,
        )
        attendees = [
            Attendee.objects.create(
                registration=registration,
                first_name=person.first_name.strip(),
                gender=person.gender,
                age_band=person.age_band,
                profile=person.profile,
                nationality=person.nationality.strip(),
                is_contact=is_contact,
            )
            for person, is_contact in [(contact, True), *((m, False) for m in members)]
        ]
        _attendees_registered(registration, attendees)
        tickets_issue(event=event, attendees=attendees, sessions=sessions)
        registration_id = registration.pk
        transaction.on_commit(
            lambda: signals.registration_confirmed.send(
                sender=Registration, registration_id=registration_id
            )
        )
    return registration


def _attendees_registered(registration: Registration, attendees: list[Attendee]) -> None:
    """Tell the apps above (participants links the people) before their tickets are issued."""
    signals.attendees_registered.send(
        sender=Registration,
        registration_id=registration.pk,
        attendee_ids=[attendee.pk for attendee in attendees],
        registration=registration,
        attendees=attendees,
    )


def registration_issue_missing_tickets(*, registration: Registration) -> list[Ticket]:
    """Tickets for members added without one (e.g. typed into the admin), then the usual signal."""
    with transaction.atomic():
        event_lock(event=registration.event)
        attendees = list(registration.members.filter(ticket__isnull=True).order_by("id"))
        if not attendees:
            return []
        _attendees_registered(registration, attendees)
        tickets = tickets_issue(event=registration.event, attendees=attendees)
        registration_id = registration.pk
        transaction.on_commit(
            lambda: signals.registration_confirmed.send(
                sender=Registration, registration_id=registration_id
            )
        )
    return tickets
