from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Venue(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        COMMUNITY_HALL = "community_hall", _("Community hall")
        PUBLIC_SPACE = "public_space", _("Park / public space")
        CULTURAL_CENTRE = "cultural_centre", _("Cultural centre")
        INSTITUTION = "institution", _("Institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Oujda")
    province = models.CharField(_("province / prefecture"), max_length=100, default="Oujda-Angad")
    region = models.CharField(_("region"), max_length=100, default="Oriental")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    # The organisation that added the venue may correct it; without one it belongs to the
    # shared directory, which administrators keep.
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
    )

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="unique_venue_per_city"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="venue_capacity_positive",
                violation_error_message=_("Capacity must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"
