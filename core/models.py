"""Organisations (NGOs, institutions, donors, collectives), their contacts, the staff who belong to
them with a role, and the audit trail of sensitive actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


def preferred_language_field() -> models.CharField:
    """The language a person is written to in (organisations, contacts, registrations,
    participants): French unless they chose otherwise."""
    return models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Association / NGO")
        MEDICAL_SOCIAL = "medical_social", _("Medical-social partner")
        COMMUNE = "commune", _("Commune")
        PROVINCE = "province", _("Province / prefecture")
        REGION = "region", _("Region")
        STATE_SERVICE = "state_service", _("Decentralised state service")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
        MIGRANT_COLLECTIVE = "migrant_collective", _("Migrant collective")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood organisation")
        DONOR = "donor", _("Donor")
        INTERNATIONAL = "international", _("International organisation")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    preferred_language = preferred_language_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Contact(models.Model):
    """A person who speaks for an organisation: receives forum summaries, may log in as a partner."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    # WhatsApp is written to only on an explicit yes (as for participants); SMS goes to the
    # phone the organisation gave for the partnership unless the contact answered STOP.
    whatsapp_opt_in = models.BooleanField(_("agrees to WhatsApp messages"), default=False)
    preferred_language = preferred_language_field()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("login"),
    )

    class Meta:
        ordering = ["organization__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} — {self.organization.name}"

    def clean(self):
        from .phones import phone_to_e164

        if self.phone:
            self.phone = phone_to_e164(self.phone)


class Membership(models.Model):
    """A staff user's role inside an organisation. Scopes what they may see and change."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership_role"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organization}"


class AuditEntry(models.Model):
    """Who did what sensitive thing, when. Never stores the personal data itself."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
