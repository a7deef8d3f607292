"""The outbox and what feeds it: every SMS and e-mail is a row before it is sent, so that the
database (not the broker) says what went out. Per-event reminder settings, editable message
templates, suppressed recipients (hashes only) and anonymous feedback answers live here too."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
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
    # Answers to what a person wrote: the automatic one to a keyword, or an organizer's.
    REPLY = "reply", _("Answer to a message received")
    # The one message that still goes out after a STOP, saying it worked.
    OPT_OUT_ACK = "opt_out_ack", _("Opt-out confirmation")


# Purposes whose text is written when the message is made (an automatic answer to a reply, an
# organizer's answer), never taken from a MessageTemplate.
FREE_TEXT_PURPOSES = frozenset({Purpose.REPLY, Purpose.OPT_OUT_ACK})
TEMPLATED_PURPOSES = [choice for choice in Purpose.choices if choice[0] not in FREE_TEXT_PURPOSES]


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
    whatsapp_enabled = models.BooleanField(
        _("send WhatsApp messages (to people who chose it)"), default=True
    )
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


def overriding_organization_field(*, help_text, related_name) -> models.ForeignKey:
    """A row without an organisation is the platform's, shared by every organisation; an
    organisation's own row overrides it for the events that organisation runs."""
    return models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        help_text=help_text,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
    )


def shared_or_override_constraints(key: list[str], *, shared, override) -> list:
    """One shared row per `key`, and one override per organisation and `key`: `shared` and
    `override` are each (constraint name, message shown when it is violated)."""
    (shared_name, shared_message), (override_name, override_message) = shared, override
    return [
        models.UniqueConstraint(
            fields=key,
            condition=models.Q(organization__isnull=True),
            name=shared_name,
            violation_error_message=shared_message,
        ),
        models.UniqueConstraint(
            fields=["organization", *key],
            condition=models.Q(organization__isnull=False),
            name=override_name,
            violation_error_message=override_message,
        ),
    ]


class MessageTemplate(models.Model):
    """The text of one purpose on one channel in one language. Django template syntax; the
    variables available are listed in notifications/rendering.py.

    A template without an organisation is the platform's, sent to every organisation's
    participants and changed by administrators only; an organisation's own template overrides
    it for the events that organisation runs."""

    organization = overriding_organization_field(
        help_text=_("Empty: the text every organisation uses (administrators only)."),
        related_name="message_templates",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=TEMPLATED_PURPOSES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject (e-mail only)"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = shared_or_override_constraints(
            ["purpose", "channel", "language"],
            shared=(
                "one_template_per_purpose_channel_language",
                _("There is already a shared text for this purpose, channel and language."),
            ),
            override=(
                "one_override_per_organization_purpose_channel_language",
                _("Your organisation already has a text for this purpose, channel and language."),
            ),
        )

    def __str__(self) -> str:
        text = f"{self.get_purpose_display()} · {self.get_channel_display()} · {self.language}"
        return f"{text} · {self.organization}" if self.organization_id else text


# What a WhatsApp template's named parameters may be filled with: the variables of
# notifications.rendering.message_context.
WHATSAPP_VARIABLES = (
    "name",
    "event",
    "session_date",
    "session_time",
    "venue",
    "short_code",
    "ticket_url",
    "registration_url",
    "feedback_url",
    "opt_out_url",
)


def _parameters_help_text() -> str:
    return _(
        'A list of ["parameter name at WhatsApp", "our variable"] pairs, e.g. '
        '[["event", "event"], ["date", "session_date"]]. Variables: %(variables)s.'
    ) % {"variables": ", ".join(WHATSAPP_VARIABLES)}


# Lazy, so that the admin shows it in the reader's language and migrations see one text.
_parameters_help = lazy(_parameters_help_text, str)


class WhatsAppTemplate(models.Model):
    """A template approved by WhatsApp for one purpose in one language: business-initiated
    messages can only be these. A purpose and language without a template goes by the person's
    next channel instead. Like MessageTemplate, a row without an organisation is the platform's
    and an organisation's own row overrides it for its events."""

    organization = overriding_organization_field(
        help_text=_("Empty: the template every organisation uses (administrators only)."),
        related_name="whatsapp_templates",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=TEMPLATED_PURPOSES)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    provider_name = models.CharField(
        _("template name at WhatsApp"),
        max_length=512,
        help_text=_("Exactly as approved in WhatsApp Manager, e.g. multaqa_reminder."),
    )
    provider_language_code = models.CharField(
        _("WhatsApp language code"), max_length=15, help_text=_("For example fr, ar or en_US.")
    )
    parameters = models.JSONField(
        _("named parameters, in order"),
        default=list,
        blank=True,
        help_text=_parameters_help(),
    )
    is_active = models.BooleanField(
        _("approved and in use"),
        default=True,
        help_text=_("Untick while WhatsApp has not approved it: messages go by SMS or e-mail."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "language"]
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        constraints = shared_or_override_constraints(
            ["purpose", "language"],
            shared=(
                "one_whatsapp_template_per_purpose_language",
                _("There is already a shared WhatsApp template for this purpose and language."),
            ),
            override=(
                "one_whatsapp_override_per_organization_purpose_language",
                _(
                    "Your organisation already has a WhatsApp template for this purpose and "
                    "language."
                ),
            ),
        )

    def __str__(self) -> str:
        text = f"{self.get_purpose_display()} · {self.language} · {self.provider_name}"
        return f"{text} · {self.organization}" if self.organization_id else text

    def clean(self):
        from django.core.exceptions import ValidationError

        pairs = self.parameters
        valid = isinstance(pairs, list) and all(
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) for part in pair)
            and pair[0]
            and pair[0].replace("_", "").isalnum()
            and pair[0] == pair[0].lower()
            and pair[1] in WHATSAPP_VARIABLES
            for pair in pairs
        )
        if not valid:
            raise ValidationError(
                {
                    "parameters": _(
                        'Give a list of ["name", "variable"] pairs: names in lower case '
                        "letters, digits and _, variables among: %(variables)s."
                    )
                    % {"variables": ", ".join(WHATSAPP_VARIABLES)}
                }
            )


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
            # Delivery receipts find their message by the provider's id.
            models.Index(
                fields=["provider_id", "channel"],
                name="message_provider_id",
                condition=~Q(provider_id=""),
            ),
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
            # A message falls back once; its fallback goes by a channel later in the person's
            # chain, so each channel carries a message at most once.
            models.UniqueConstraint(
                fields=["fallback_of"],
                condition=Q(fallback_of__isnull=False),
                name="message_falls_back_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.get_channel_display()} · #{self.pk}"


class Suppression(models.Model):
    """A recipient who asked to stop. Only a keyed hash of the phone or e-mail is kept."""

    class Source(models.TextChoices):
        LINK = "link", _("Opt-out link")
        SMS_STOP = "sms_stop", _("SMS reply STOP")
        WHATSAPP_STOP = "wa_stop", _("WhatsApp reply STOP")
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


class InboundMessage(models.Model):
    """What a person wrote to us by SMS or WhatsApp. The phone is kept only as the keyed hash the
    outbox and the suppressions use: a reply goes to the matched registration's phone. The text
    is blanked with the registration's personal data (retention, erasure)."""

    class Action(models.TextChoices):
        STOP = "stop", _("Opt-out")
        CONFIRM = "confirm", _("Confirmation")
        CANCEL = "cancel", _("Cancellation")
        NONE = "none", _("Free text")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sender_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField(_("text"), blank=True, max_length=1600)
    provider_id = models.CharField(_("provider id"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    action = models.CharField(_("read as"), max_length=10, choices=Action.choices)
    # The registration the sender was last messaged about (upcoming events first).
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="inbound_messages"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="answered"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("message received")
        verbose_name_plural = _("messages received")
        indexes = [
            models.Index(fields=["event", "handled_at"], name="inbound_event_inbox"),
        ]
        constraints = [
            # A provider that sends the same message again (a retried webhook) stores it once.
            models.UniqueConstraint(
                fields=["channel", "provider_id"], name="one_inbound_per_provider_id"
            ),
            models.CheckConstraint(condition=~Q(provider_id=""), name="inbound_has_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_action_display()} · #{self.pk}"
