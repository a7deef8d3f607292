from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.demographics import DIMENSIONS
from core.models import Organization


class Programme(models.Model):
    """A funded project with donor targets; events happen inside it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_programmes",
        verbose_name=_("lead organisation"),
    )
    donors = models.ManyToManyField(
        Organization, blank=True, related_name="funded_programmes", verbose_name=_("donors")
    )
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="partner_programmes", verbose_name=_("partners")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="MAD")
    retention_days = models.PositiveIntegerField(
        _("personal data retention (days after an event ends)"), default=180
    )
    small_number_threshold = models.PositiveSmallIntegerField(
        _("smallest figure shown to partners"), default=5
    )
    # What "regular attendance" means in this programme's figures and targets: a person who came
    # to at least this share of the sessions of an event (a class, a school campaign) holding two
    # or more sessions.
    regular_attendance_percent = models.DecimalField(
        # xgettext:no-python-format
        _("regular attendance: at least (% of an event's sessions)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(75),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(regular_attendance_percent__gt=0)
                & Q(regular_attendance_percent__lte=100),
                name="programme_regular_percent_between_0_and_100",
                violation_error_message=_("A share must be above 0% and at most 100%."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="programme_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Measure(models.TextChoices):
    # Registered people (each counted once across the programme) + anonymous visits.
    PEOPLE_REACHED = "people_reached", _("people reached")
    # Distinct registered people only: what a target "on distinct people" counts.
    REGISTERED_PEOPLE = "registered_people", _("distinct registered people")
    ATTENDANCES = "attendances", _("attendances")
    RETURNING_PEOPLE = "returning_people", _("returning people (two or more events)")
    REGULAR_PEOPLE = "regular_people", _("people attending regularly")
    FIRST_TIME_PEOPLE = "first_time_people", _("first-time people")
    CHILDREN_REACHED = "children_reached", _("children reached")
    EVENTS_HELD = "events_held", _("events held")
    SESSIONS_HELD = "sessions_held", _("sessions held")
    # An outcome, not a count: the share (%) of the people who took a knowledge check's
    # post-check and passed it. A demographic condition asks the same rate of that group
    # ("70% pass, women as well as men": the women's rate at least 70% too).
    POST_CHECK_PASS_RATE = "post_check_pass_rate", _("% passing the knowledge post-check")
    # Distinct people who submitted a proposal (group proposals add their counted people), and
    # distinct people who endorsed one: the proposals app counts them.
    PEOPLE_PROPOSING = "people_proposing", _("people who proposed")
    PEOPLE_ENDORSING = "people_endorsing", _("people who endorsed a proposal")


class Target(models.Model):
    """'800 people reached, at least 50% women': a measure, a value, an optional minimum share of
    one demographic value (gender, age band or profile) among what the measure counts."""

    class ShareField(models.TextChoices):
        GENDER = "gender", _("gender")
        AGE_BAND = "age_band", _("age band")
        PROFILE = "profile", _("profile")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    value = models.PositiveIntegerField(_("target value"))
    share_field = models.CharField(
        _("share of"), max_length=20, choices=ShareField.choices, blank=True
    )
    share_value = models.CharField(_("value"), max_length=20, blank=True)
    share_min_percent = models.DecimalField(
        _("at least (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["programme", "measure", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="target_value_positive",
                violation_error_message=_("A target must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(share_min_percent__isnull=True)
                | (Q(share_min_percent__gt=0) & Q(share_min_percent__lte=100)),
                name="target_share_between_0_and_100",
                violation_error_message=_("A share must be above 0% and at most 100%."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(share_field="", share_value="", share_min_percent__isnull=True)
                    | (~Q(share_field="") & ~Q(share_value="") & Q(share_min_percent__isnull=False))
                ),
                name="target_share_complete_or_absent",
                violation_error_message=_(
                    "A demographic share needs its field, its value and its minimum percentage."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.value} {self.get_measure_display()}"
        if self.share_field:
            text += _(", at least %(pct)s%% %(value)s") % {
                "pct": f"{self.share_min_percent.normalize():f}",
                "value": self.share_value_label,
            }
        return text

    def clean(self):
        if self.share_field:
            choices = DIMENSIONS[self.share_field]
            if self.share_value not in choices.values:
                raise ValidationError(
                    {
                        "share_value": _("Choose one of: %(values)s.")
                        % {"values": ", ".join(choices.values)}
                    }
                )
        if self.share_min_percent is not None and not (
            Decimal(0) < self.share_min_percent <= Decimal(100)
        ):
            raise ValidationError(
                {"share_min_percent": _("A share must be above 0% and at most 100%.")}
            )

    @property
    def share_value_label(self) -> str:
        if not self.share_field:
            return ""
        return str(DIMENSIONS[self.share_field](self.share_value).label)
