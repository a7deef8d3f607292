from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.models import Language, Organization

from .programmes import Programme
from .venues import Venue


class EventKind(models.TextChoices):
    AFRICAN_FAIR = "african_fair", _("African fair")
    SCHOOL_CAMPAIGN = "school_campaign", _("School cultural-diversity campaign")
    CONVIVIALITY_MEETING = "conviviality_meeting", _("Conviviality meeting")
    FORUM = "forum", _("Forum")
    AWARENESS_SESSION = "awareness_session", _("Awareness session")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def default_languages() -> list[str]:
    return [Language.FRENCH, Language.ARABIC, Language.ENGLISH]


class Event(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="events", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    title = models.CharField(_("title (French)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organizer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="organized_events",
        verbose_name=_("organizer"),
    )
    co_organizers = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="co_organized_events",
        verbose_name=_("co-organisers"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=default_languages)
    ask_nationality = models.BooleanField(_("ask nationality at registration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["programme", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
                violation_error_message=_("Capacity must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d/%m/%Y})"

    def clean(self):
        errors = {}
        unknown = [code for code in self.languages or [] if code not in Language.values]
        if unknown or not self.languages:
            errors["languages"] = _("Choose one or more of: %(codes)s.") % {
                "codes": ", ".join(Language.values)
            }
        if (
            self.programme_id
            and self.start_date
            and self.end_date
            and (
                self.start_date < self.programme.start_date
                or self.end_date > self.programme.end_date
            )
        ):
            errors["start_date"] = _("The event must take place within its programme's dates.")
        if errors:
            raise ValidationError(errors)

    def localized(self, field: str) -> str:
        """The field in the active language, falling back to French."""
        language = (translation.get_language() or "fr")[:2]
        if field == "title":
            value = getattr(self, f"title_{language}", "") if language != "fr" else self.title
            return value or self.title
        value = getattr(self, f"{field}_{language}", "")
        return value or getattr(self, f"{field}_fr", "")

    @property
    def display_title(self) -> str:
        return self.localized("title")

    @property
    def display_description(self) -> str:
        return self.localized("description")


class Session(models.Model):
    """One occurrence of an event: a fair day, one school visit, one weekly class."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("venue")
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    class_level = models.CharField(_("class level"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
                violation_error_message=_("Capacity must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        label = self.title or self.school_name or self.event.title
        return f"{label} — {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    def clean(self):
        if (
            self.event_id
            and self.date
            and not (self.event.start_date <= self.date <= self.event.end_date)
        ):
            raise ValidationError(
                {
                    "date": _(
                        "The session must fall within its event's dates (%(start)s – %(end)s)."
                    )
                    % {"start": self.event.start_date, "end": self.event.end_date}
                }
            )
