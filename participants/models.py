"""One person across an organisation's programmes, pseudonymous.

A participant holds no name, phone or e-mail: those stay on the registrations that name the person
(and go when they are purged). What links registrations to one participant is a keyed hash of the
phone and the normalised first name, with a secret per organisation kept in its own table
(`MatchKey`), so the participant table alone cannot be tied back to a phone number.

Merging two participants never moves links: the merged one points at the one it was merged into
(`merged_into`), figures count the participant a link resolves to, and unmerging restores the
pointer. Every figure is therefore exactly right after a merge and after an unmerge."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.demographics import Profile, age_band_field, gender_field, profile_field
from core.models import Organization, preferred_language_field
from events.models import Attendee


def new_match_secret() -> bytes:
    return secrets.token_bytes(32)


class MatchKey(models.Model):
    """The organisation's secret for the matching hashes. Read only by participants.services;
    destroyed (rotated) when a purge must make old hashes unlinkable."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="participant_match_key"
    )
    secret = models.BinaryField(default=new_match_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matching key")
        verbose_name_plural = _("matching keys")

    def __str__(self) -> str:
        return f"{self.organization} · {self.created_at:%Y-%m-%d}"


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    NONE = "none", _("No messages")


class Participant(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="participants"
    )
    gender = gender_field()
    age_band = age_band_field()
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    profile = profile_field(default=Profile.UNDISCLOSED)
    preferred_language = preferred_language_field()
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, default=Channel.SMS
    )
    # HMAC of phone + normalised first name + age band: an exact match links automatically.
    # NULL (no phone or no name, or forgotten): no exact-match key, outside the unique constraint.
    match_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    # HMACs of the phone alone and of the name alone: where possible duplicates are looked for.
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_participants",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organization", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # Two registrations of the same person at once link to one participant.
            models.UniqueConstraint(
                fields=["organization", "match_hash"],
                condition=Q(match_hash__isnull=False),
                name="one_participant_per_match_hash",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="participant_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"P-{self.pk}"

    @property
    def canonical_id(self) -> int:
        return self.merged_into_id or self.pk


class ParticipantLink(models.Model):
    """Which participant a registered person (a registration's contact or member) is."""

    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="participant_link"
    )
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="links")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant link")
        verbose_name_plural = _("participant links")

    def __str__(self) -> str:
        return f"{self.participant} ← attendee {self.attendee_id}"


class DuplicateCandidate(models.Model):
    """Two participants who may be one person. Never merged without an organizer's decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISTINCT = "distinct", _("Different people")

    class Reason(models.TextChoices):
        SAME_PHONE_CLOSE_NAME = "phone_close_name", _("Same phone, close first name")
        SAME_PHONE_SAME_NAME = "phone_same_name", _("Same phone and first name, other age")
        SAME_NAME_OTHER_PHONE = "name_other_phone", _("Same first name and age, other phone")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    # Higher is likelier; the queue is ranked by it.
    score = models.PositiveSmallIntegerField(_("likelihood"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "created_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_candidate_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="pair_ordered"),
        ]
        indexes = [models.Index(fields=["organization", "status", "-score"], name="dup_queue")]

    def __str__(self) -> str:
        return f"{self.first} ~ {self.second} ({self.score})"


class ParticipantMerge(models.Model):
    """One merge, kept so that it can be undone exactly: which participants pointed where."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    # Participants that had been merged into `merged` and now point at `kept` too.
    carried_ids = models.JSONField(default=list)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("participant merge")
        verbose_name_plural = _("participant merges")

    def __str__(self) -> str:
        return f"{self.merged} → {self.kept}"


def new_card_secret() -> str:
    # As random as a ticket secret (192 bits): the QR of a card opens every door of the
    # organisation, so guessing one must be as hopeless as guessing a ticket.
    return secrets.token_urlsafe(24)


class ParticipantCard(models.Model):
    """A card a known participant shows at any door of the organisation's events. Its QR holds
    the secret alone; the short code is typed when the QR cannot be read. A reissued card gets a
    new secret and code, and the old card is revoked: a lost card opens nothing after that."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="cards")
    secret = models.CharField(max_length=64, unique=True, default=new_card_secret, editable=False)
    short_code = models.CharField(max_length=8, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("participant card")
        verbose_name_plural = _("participant cards")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status="active"),
                name="one_active_card_per_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.short_code[:4]}-…"
