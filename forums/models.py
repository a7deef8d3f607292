"""Forums: themes and workshops of a forum event, the recommendations drafted there, the
participants' endorsements, the rapporteurs who type them in, and the summary versions sent to
partners. A recommendation never names a migrant unless that person chose to be named."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.contributions import (
    NamedInLanguages,
    merged_into_field,
    moderation_constraints,
    name_fields,
    proposer_fields,
    written_in_field,
)
from core.models import Language, Organization
from events.models import Event, EventKind, Ticket

FORUM_ONLY = {"kind": EventKind.FORUM}


class ForumSettings(models.Model):
    """What a forum needs beyond its event: the next steps announced in the summary."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="forum_settings", limit_choices_to=FORUM_ONLY
    )
    next_steps_fr = models.TextField(_("next steps (French)"), blank=True)
    next_steps_ar = models.TextField(_("next steps (Arabic)"), blank=True)
    next_steps_en = models.TextField(_("next steps (English)"), blank=True)
    # Institutions' answers: when one is due, and how often an organisation that has not
    # answered (or not updated an unfinished commitment) is reminded.
    response_due_days = models.PositiveSmallIntegerField(
        _("days partners have to answer, from the summary's sending"), default=30
    )
    update_every_days = models.PositiveSmallIntegerField(
        _("days between two updates of an unfinished commitment"), default=60
    )
    reminder_period_days = models.PositiveSmallIntegerField(
        _("days between two reminders"), default=14
    )
    followup_public = models.BooleanField(
        _("publish the follow-up page (adopted recommendations and institutions' answers)"),
        default=False,
    )

    class Meta:
        verbose_name = _("forum settings")
        verbose_name_plural = _("forum settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due_days__gt=0, update_every_days__gt=0)
                & Q(reminder_period_days__gt=0),
                name="forum_settings_delays_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.event)


class Theme(NamedInLanguages):
    """A subject the forum works on: access to education, health, documentation and rights…"""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="forum_themes", limit_choices_to=FORUM_ONLY
    )
    name_fr, name_ar, name_en = name_fields()
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["event", "name_fr"], name="unique_theme_per_forum")
        ]


class Workshop(NamedInLanguages):
    """A working group of the forum; recommendations are proposed in its name."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="forum_workshops", limit_choices_to=FORUM_ONLY
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops"
    )
    name_fr, name_ar, name_en = name_fields()

    class Meta:
        ordering = ["event", "name_fr"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.UniqueConstraint(fields=["event", "name_fr"], name="unique_workshop_per_forum")
        ]


class RapporteurAssignment(models.Model):
    """This user may enter recommendations for this forum (on top of a RAPPORTEUR membership)."""

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="rapporteur_assignments",
        limit_choices_to=FORUM_ONLY,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rapporteur_assignments"
    )
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="rapporteurs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rapporteur assignment")
        verbose_name_plural = _("rapporteur assignments")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_assignment_per_rapporteur")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Recommendation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        MERGED = "merged", _("Merged into another")
        REJECTED = "rejected", _("Rejected")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="recommendations", limit_choices_to=FORUM_ONLY
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("theme")
    )
    # The text as it was written, and the language it was written in; translations are optional.
    text = models.TextField(_("recommendation"))
    language = written_in_field()
    text_fr = models.TextField(_("French translation"), blank=True)
    text_ar = models.TextField(_("Arabic translation"), blank=True)
    text_en = models.TextField(_("English translation"), blank=True)
    addressed_to = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="forum_recommendations",
        verbose_name=_("addressed to"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    proposed_by_workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("proposed by workshop"),
    )
    # Only filled when the person explicitly chose to be named; otherwise the workshop speaks.
    proposer_name, proposer_agreed_to_be_named = proposer_fields()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    merged_into = merged_into_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "theme__position", "priority", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["event", "status"], name="recommendation_event_status")]
        constraints = moderation_constraints(
            "recommendation",
            merged_message=_("A merged recommendation names the one it was merged into."),
            named_message=_("A proposer is only named when they agreed to it."),
        )

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    def text_in(self, language: str) -> str:
        """The text in that language: the original if written in it, else its translation."""
        if language == self.language:
            return self.text
        return getattr(self, f"text_{language}", "") or ""

    @property
    def display_text(self) -> str:
        language = (translation.get_language() or "fr")[:2]
        return self.text_in(language) or self.text


class Endorsement(models.Model):
    """A participant supports an adopted recommendation: one per ticket, counted, never shown."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="endorsements"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="endorsements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "ticket"], name="one_endorsement_per_ticket"
            )
        ]

    def __str__(self) -> str:
        return f"+1 #{self.recommendation_id}"


def _by_user() -> models.ForeignKey:
    # Kept when the user account goes: the version stays, without its author.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


def version_fields() -> tuple[models.Field, models.Field, models.Field]:
    """`number, built_at, built_by = version_fields()`: a document for partners (the summary,
    the follow-up report) is built again as a new numbered version, by a user or the worker."""
    return (
        models.PositiveIntegerField(_("version")),
        models.DateTimeField(_("built at")),
        _by_user(),
    )


def release_fields() -> tuple[models.Field, models.Field]:
    """`released_at, released_by = release_fields()`: set when an organizer, having previewed
    what each partner will receive, confirmed the sending (or the worker released it). Until
    then the version is a draft: no e-mail, nothing in the partner portal."""
    return (
        models.DateTimeField(_("sent to partners at"), null=True, blank=True),
        _by_user(),
    )


class ForumSummary(models.Model):
    """One built version of a forum's summary. `data` is the frozen, personal-data-free context
    every rendering (HTML, PDF, partner JSON, personalised copies) is made from. A version
    reaches partners only once released (forums/delivery.py: summary_release)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="forum_summaries")
    number, built_at, built_by = version_fields()
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    data = models.JSONField(default=dict)
    html = models.TextField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    released_at, released_by = release_fields()

    class Meta:
        ordering = ["event", "-number"]
        verbose_name = _("forum summary")
        verbose_name_plural = _("forum summaries")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="unique_summary_version"),
            models.CheckConstraint(condition=Q(number__gt=0), name="summary_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event} — v{self.number}"


# The institutions' answers live in their own module; imported here so Django finds them.
from .models_responses import (  # noqa: E402, F401
    Commitment,
    CommitmentState,
    CommitmentUpdate,
    FollowupReport,
    Position,
    Response,
)
