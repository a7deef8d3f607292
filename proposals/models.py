"""Proposals: an event's call for project ideas, the proposals participants submit (with their
ticket or participant-card code, at a facilitated table, or as a group entered by a facilitator),
their moderation and merging, and the endorsements other participants give them.

Who proposed or endorsed is a person, not a row: each individual proposal and endorsement keeps
the participant its code resolved to (when the person is known to the organisation) and the
ticket it came through, plus the person's gender, age band and profile at that moment, so figures
count distinct people across a programme without reading any name. A group proposal keeps only
how many people of each gender and age band made it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.contributions import (
    NamedInLanguages,
    in_active_language,
    merged_into_field,
    moderation_constraints,
    name_fields,
    proposer_fields,
    written_in_field,
)
from core.demographics import Profile, age_band_field, gender_field, profile_field
from core.models import Organization
from events.models import Event, Ticket
from participants.models import Participant


class CallForProposals(models.Model):
    """An event's invitation to propose: open while proposals are accepted, closed after."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="call_for_proposals")
    is_open = models.BooleanField(_("open for proposals"), default=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def display_intro(self) -> str:
        return in_active_language(self, "intro")


class CallTheme(NamedInLanguages):
    """A subject proposals are filed under: living together, youth, health, the neighbourhood…"""

    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="themes")
    name_fr, name_ar, name_en = name_fields()
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("proposal theme")
        verbose_name_plural = _("proposal themes")
        constraints = [
            models.UniqueConstraint(fields=["call", "name_fr"], name="unique_theme_per_call")
        ]


class Proposal(models.Model):
    class Source(models.TextChoices):
        CODE = "code", _("Submitted by the participant with their code")
        TABLE = "table", _("Typed in at a facilitated table")
        GROUP = "group", _("Made by a group, entered by a facilitator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", pgettext_lazy("proposal state", "Accepted")
        REJECTED = "rejected", pgettext_lazy("proposal", "Rejected")
        MERGED = "merged", _("Merged into another proposal")

    call = models.ForeignKey(CallForProposals, on_delete=models.PROTECT, related_name="proposals")
    theme = models.ForeignKey(
        CallTheme, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("your idea"), max_length=2000)
    language = written_in_field()
    photo = models.ImageField(_("photo"), upload_to="proposals/%Y/%m/", blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # An individual proposal: the code it came through and the person it resolved to.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    gender = gender_field(blank=True)
    age_band = age_band_field(blank=True)
    profile = profile_field(blank=True, default=Profile.UNDISCLOSED)
    # Only filled when the person explicitly chose to be named.
    proposer_name, proposer_agreed_to_be_named = proposer_fields()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Kept whatever happens next: why a proposal was not accepted.
    rejection_reason = models.TextField(_("reason"), blank=True)
    merged_into = merged_into_field()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The partner organisations asked to answer an accepted proposal (forums keeps the answers).
    addressed_to = models.ManyToManyField(
        Organization,
        through="ProposalAddressee",
        blank=True,
        related_name="addressed_proposals",
        verbose_name=_("addressed to"),
    )

    class Meta:
        ordering = ["call", "-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["call", "status"], name="proposal_call_status")]
        constraints = [
            *moderation_constraints("proposal"),
            models.CheckConstraint(
                condition=Q(status="rejected") | Q(rejection_reason=""),
                name="proposal_reason_only_when_rejected",
            ),
            # A group proposal names nobody (its people are counted in GroupCount).
            models.CheckConstraint(
                condition=~Q(source="group") | Q(ticket__isnull=True, participant__isnull=True),
                name="proposal_group_names_nobody",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title[:60]}"

    @property
    def is_group(self) -> bool:
        return self.source == self.Source.GROUP


class GroupCount(models.Model):
    """How many people of one gender and age band made a group proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="group_counts")
    gender = gender_field()
    age_band = age_band_field()
    profile = profile_field(default=Profile.UNDISCLOSED)
    count = models.PositiveIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("people in the group")
        verbose_name_plural = _("people in the group")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "gender", "age_band", "profile"],
                name="one_group_count_per_cell",
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="group_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.gender}/{self.age_band}"


class ProposalEndorsement(models.Model):
    """A person supports an accepted proposal: once per person (the participant when known, else
    the ticket), counted, never shown."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gender = gender_field(blank=True)
    age_band = age_band_field(blank=True)
    profile = profile_field(blank=True, default=Profile.UNDISCLOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement of a proposal")
        verbose_name_plural = _("endorsements of proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"],
                condition=Q(participant__isnull=False),
                name="one_proposal_endorsement_per_participant",
            ),
            models.UniqueConstraint(
                fields=["proposal", "ticket"],
                condition=Q(participant__isnull=True),
                name="one_proposal_endorsement_per_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"+1 #{self.proposal_id}"


class ProposalAddressee(models.Model):
    """An accepted proposal put to a partner organisation of the event's network. The moment it
    was put is when the organisation's answer starts being awaited (its delay counts from it)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="addressees")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    addressed_at = models.DateTimeField(_("addressed at"))
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "organization__name"]
        verbose_name = _("organisation a proposal is addressed to")
        verbose_name_plural = _("organisations proposals are addressed to")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organization"], name="one_addressee_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.proposal_id} → {self.organization_id}"
