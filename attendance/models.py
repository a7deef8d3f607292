"""Attendance: one row per admitted person (ticket scan, walk-in) or per counted group (a class
headcount), with the demographics the figures are computed from. Undoing an admission voids the
row with a reason; nothing is silently deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.demographics import AgeBand, Gender, Profile
from events.models import Event, Session, Ticket


class Attendance(models.Model):
    class Source(models.TextChoices):
        SCAN = "scan", _("QR scan")
        SHORT_CODE = "short_code", _("Short code")
        LOOKUP = "lookup", _("Name lookup at the door")
        WALK_IN = "walk_in", _("Walk-in")
        CLASS_TALLY = "class_tally", _("Class headcount")
        PAPER = "paper", _("Paper list")
        OFFLINE = "offline", _("Offline scan, synced")

    # Denormalised from session so that figures over millions of rows need no join.
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices)
    profile = models.CharField(_("profile"), max_length=20, choices=Profile.choices)
    # 1 for a person; N for a class headcount row of N identical demographics.
    headcount = models.PositiveIntegerField(_("people"), default=1)
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(_("recorded by"), max_length=120, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [
            models.Index(fields=["event", "session"], name="attendance_event_session"),
            models.Index(fields=["session", "recorded_at"], name="attendance_session_time"),
        ]
        constraints = [
            # Exactly one admission per ticket per session: the database says no to the second.
            models.UniqueConstraint(
                fields=["ticket", "session"],
                condition=Q(ticket__isnull=False, voided_at__isnull=True),
                name="one_admission_per_ticket_per_session",
            ),
            models.CheckConstraint(
                condition=Q(headcount__gt=0), name="attendance_headcount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_source_display()} · {self.headcount}"
