"""The outbox and what feeds it: every SMS and e-mail is a row before it is sent, so that the
database (not the broker) says what went out. Per-event reminder settings, editable message
templates, suppressed recipients (hashes only) and anonymous feedback answers live here too."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Language
from events.models import Event, Registration, Session, Ticket


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Purpose(models.TextChoices):
    CONFIRMATION = "confirmation", _("Registration confirmation")
    REMINDER = "reminder", _("Reminder")
    RESCHEDULED = "rescheduled", _("Change notice")
    CANCELLATION = "cancellation", _("Cancellation notice")
    THANK_YOU = "thank_you", _("Thank-you and feedback")
    MISSED_YOU = "missed_you", _("Sorry we missed you")
    FORUM_SUMMARY = "forum_summary", _("Forum summary for partners")
    PARTICIPANT_CARD = "participant_card", _("Participant card link")
    PARTNER_REMINDER = "partner_reminder", _("Reminder to partners to answer")
    FORUM_FOLLOWUP = "forum_followup", _("Forum follow-up report for partners")


def default_reminder_offsets() -> list[int]:
    """Minutes before each session: two days and three hours."""
    return [2 * 24 * 60, 3 * 60]


class EventNotificationSettings(models.Model):
    """Per-event choices; an event without a row uses the defaults below."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="notification_settings"
    )
    reminder_offsets = models.JSONField(
        _("reminder offsets (minutes before each session)"),
        default=default_reminder_offsets,
        blank=True,
    )
    sms_enabled = models.BooleanField(_("send SMS"), default=True)
    email_enabled = models.BooleanField(_("send e-mails"), default=True)
    thank_you_enabled = models.BooleanField(_("thank attendees after the event"), default=True)
    missed_you_enabled = models.BooleanField(
        _("send a 'sorry we missed you' message to no-shows"), default=False
    )
    followups_scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event message settings")
        verbose_name_plural = _("event message settings")

    def __str__(self) -> str:
        return str(self.event)

    def clean(self):
        from django.core.exceptions import ValidationError

        offsets = self.reminder_offsets
        if not isinstance(offsets, list) or not all(
            isinstance(value, int) and 0 < value <= 60 * 24 * 60 for value in offsets
        ):
            raise ValidationError(
                {
                    "reminder_offsets": _(
                        "Give a list of minutes between 1 and 86400, e.g. [2880, 180]."
                    )
                }
            )


class MessageTemplate(models.Model):
    """The text of one purpose on one channel in one language. Django template syntax; the
    variables available are listed in notifications/rendering.py.

    A template without an organisation is the platform's, sent to every organisation's
    participants and changed by administrators only; an organisation's own template overrides
    it for the events that organisation runs."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        help_text=_("Empty: the text every organisation uses (administrators only)."),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject (e-mail only)"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "channel", "language"],
                condition=models.Q(organization__isnull=True),
                name="one_template_per_purpose_channel_language",
                violation_error_message=_(
                    "There is already a shared text for this purpose, channel and language."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "purpose", "channel", "language"],
                condition=models.Q(organization__isnull=False),
                name="one_override_per_organization_purpose_channel_language",
                violation_error_message=_(
                    "Your organisation already has a text for this purpose, channel and language."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.get_purpose_display()} · {self.get_channel_display()} · {self.language}"
        return f"{text} · {self.organization}" if self.organization_id else text


class Message(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # What the provider reports after accepting the message (delivery receipts).
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    recipient_hash = models.CharField(max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    # What must never go out twice: recipient (channel + registration) x purpose x object.
    idempotency_key = models.CharField(max_length=200, unique=True)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Ids (never personal data) that an app registered in notifications.attachments needs to
    # rebuild this row's attachments at send time, e.g. {"summary": 3, "organization": 7}.
    payload = models.JSONField(default=dict, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A claim is a token plus a lease: a worker that dies leaves a row that is claimable again
    # once the lease is over, and a stale task carrying an old token does nothing.
    claim_token = models.CharField(max_length=32, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The message this one replaces on the next channel the person allows, when that one was
    # not delivered in time or failed as undeliverable.
    fallback_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fallbacks",
        verbose_name=_("fallback of"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="message_due"),
            models.Index(fields=["event", "status", "channel"], name="message_event_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="message_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(leased_until__isnull=False),
                name="message_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_channel_display()} · #{self.pk}"


class Suppression(models.Model):
    """A recipient who asked to stop. Only a keyed hash of the phone or e-mail is kept."""

    class Source(models.TextChoices):
        LINK = "link", _("Opt-out link")
        SMS_STOP = "sms_stop", _("SMS reply STOP")
        ADMIN = "admin", _("Staff")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient_hash = models.CharField(max_length=64)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed recipient")
        verbose_name_plural = _("suppressed recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "recipient_hash"], name="one_suppression_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient_hash[:10]}…"


class FeedbackAnswer(models.Model):
    """Three questions after the event. Anonymous: no link to the ticket, only a keyed digest of
    it so that the same ticket cannot answer twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback_answers")
    ticket_digest = models.CharField(max_length=64, unique=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    useful = models.TextField(_("what was useful"), blank=True, max_length=2000)
    suggestions = models.TextField(_("suggestions"), blank=True, max_length=2000)
    language = models.CharField(max_length=5, choices=Language.choices)
    # The day only: a timestamp next to the check-in log could re-identify the person.
    submitted_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="feedback_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.satisfaction}/5"
