"""Who registered, the people they registered, and the ticket each person holds. Personal fields
are few and can be pseudonymised after the event; demographics stay so figures never change."""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.demographics import Profile, age_band_field, gender_field, profile_field
from core.models import preferred_language_field
from events.codes import format_short_code

from .events import Event, Session


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One sign-up by a contact person: alone, for a household, or for a school class."""

    class Channel(models.TextChoices):
        # The same values as notifications' channels; the order of the fallback chain.
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Answer(models.TextChoices):
        """What the contact answered to our messages (a reply "1" / "OUI", or "2" / "NON")."""

        NONE = "", _("No answer")
        CONFIRMED = "confirmed", _("Confirmed attendance")
        DECLINED = "declined", _("Cancelled by reply")

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        HOUSEHOLD = "household", _("Household / family")
        GROUP = "group", _("Group or class")

    class Source(models.TextChoices):
        WEB = "web", _("Public form")
        ADMIN = "admin", _("Admin")
        API = "api", _("API")
        IMPORT = "import", _("CSV import")
        # Registered on the spot when a known participant's card was scanned at the door.
        DOOR = "door", _("At the door (participant card)")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    contact_name = models.CharField(_("first name or nickname"), max_length=100, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = preferred_language_field()
    consent_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_wording_version = models.CharField(max_length=20, blank=True)
    # Empty: no preference, every allowed channel is used (SMS and e-mail).
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    # WhatsApp only for people who said yes to it, with the wording they saw.
    whatsapp_opt_in = models.BooleanField(_("agrees to WhatsApp messages"), default=False)
    whatsapp_opt_in_recorded_at = models.DateTimeField(null=True, blank=True)
    whatsapp_opt_in_wording_version = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    access_token = models.CharField(max_length=64, unique=True, default=new_access_token)
    created_at = models.DateTimeField(auto_now_add=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        _("answer to our messages"), max_length=10, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # Replies by SMS or WhatsApp are matched to their registration by phone.
        indexes = [models.Index(fields=["phone"], name="registration_phone")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.contact_name or _('(anonymous)')} — {self.event.title}"

    def get_absolute_url(self) -> str:
        """The contact's confirmation page, at an unguessable URL."""
        return reverse("events:registration", kwargs={"token": self.access_token})

    @property
    def may_be_contacted(self) -> bool:
        """Whether any SMS or e-mail may go to this registration at all: consent given, an
        address to write to, and personal data not yet purged. The confirmation page says so
        plainly when not; the notifications app sends nothing then."""
        return (
            self.consent_contact
            and not self.personal_data_purged_at
            and bool(self.phone or self.email)
        )


class Attendee(models.Model):
    """A person covered by a registration. Gender, age band and profile feed the figures."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField(_("first name or nickname"), max_length=100, blank=True)
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field(default=Profile.UNDISCLOSED)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    is_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["registration", "-is_contact", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.first_name or f"{self.get_gender_display()} {self.age_band}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="tickets")
    attendee = models.OneToOneField(Attendee, on_delete=models.CASCADE, related_name="ticket")
    secret = models.CharField(max_length=64, unique=True)
    short_code = models.CharField(max_length=8, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALID)
    sessions = models.ManyToManyField(
        Session,
        blank=True,
        related_name="restricted_tickets",
        help_text=_("Leave empty for a ticket valid for every session of the event."),
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    reissued_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [models.Index(fields=["event", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="ticket_secret_not_empty"),
        ]

    def __str__(self) -> str:
        return format_short_code(self.short_code)

    def get_absolute_url(self) -> str:
        """The ticket page (QR + short code). Re-issuing changes the secret, so the old link dies too."""
        return reverse("events:ticket", kwargs={"secret": self.secret})
