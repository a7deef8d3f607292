"""Admin: templates with a preview and an SMS segment counter; the outbox (read-only texts,
scoped to the organizer's events) with 'send now' and 'retry failed' actions; suppressions."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.permissions import can_manage_event
from core.tenant_admin import TenantModelAdmin

from . import (
    admin_whatsapp,  # noqa: F401 - registers the WhatsApp templates' admin
    services,
)
from .models import (
    Channel,
    EventNotificationSettings,
    FeedbackAnswer,
    Message,
    MessageTemplate,
    Suppression,
)
from .rendering import render_texts
from .sms.segments import RECOMMENDED_MAX_SEGMENTS, count_segments

# Sample values for the preview: long enough to show the real length of a message.
PREVIEW_CONTEXT = {
    "name": "Aminata",
    "event": "Rencontre conviviale de Sidi Yahya",
    "session_date": "12 décembre 2026",
    "session_time": "10:00",
    "venue": "Maison des jeunes, Oujda",
    "short_code": "K7P2-9QXM",
    "ticket_url": "https://multaqa.example/tickets/Xq3v9TzPz0c1Hc6mJmI0wQ2yYpVv0b9r/",
    "registration_url": "https://multaqa.example/registrations/Xq3v9TzPz0c1Hc6mJmI0wQ2yYpVv0b9r/",
    "feedback_url": "https://multaqa.example/feedback/1234-0123456789abcdef/",
    "opt_out_url": "https://multaqa.example/stop/1234s-0123456789ab/",
}


@admin.register(MessageTemplate)
class MessageTemplateAdmin(TenantModelAdmin):
    list_display = ["purpose", "channel", "language", "organization", "segments", "updated_at"]
    list_filter = ["purpose", "channel", "language", ("organization", admin.EmptyFieldListFilter)]
    readonly_fields = ["preview"]
    fields = ["organization", "purpose", "channel", "language", "subject", "body", "preview"]

    class Media:
        # A stylesheet, not a style attribute: the page policy admits no inline style.
        css = {"all": ["notifications/admin.css"]}

    @admin.display(description=_("SMS segments"))
    def segments(self, obj):
        if obj.channel != Channel.SMS:
            return "—"
        count = count_segments(render_texts(subject="", body=obj.body, context=PREVIEW_CONTEXT)[1])
        return f"{count.segments} ({count.encoding})"

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        if not obj.pk or not obj.body:
            return _("Save to see a preview.")
        subject, body = render_texts(subject=obj.subject, body=obj.body, context=PREVIEW_CONTEXT)
        parts = [format_html("<strong>{}</strong>", subject)] if subject else []
        parts.append(format_html('<pre class="template-preview">{}</pre>', body))
        if obj.channel == Channel.SMS:
            count = count_segments(body)
            parts.append(
                format_html(
                    "{} {} · {} {} · {} {}",
                    count.units,
                    _("characters"),
                    count.segments,
                    _("segment(s)"),
                    count.encoding,
                    _("encoding"),
                )
            )
            if count.too_long:
                parts.append(
                    format_html(
                        '<p class="errornote">{}</p>',
                        _(
                            "More than %(max)d segments: shorten the text (each segment is paid and long SMS arrive less reliably)."
                        )
                        % {"max": RECOMMENDED_MAX_SEGMENTS},
                    )
                )
        return format_html_join("", "<div>{}</div>", ((part,) for part in parts))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.channel == Channel.SMS:
            count = count_segments(
                render_texts(subject="", body=obj.body, context=PREVIEW_CONTEXT)[1]
            )
            if count.too_long:
                self.message_user(
                    request,
                    _("This SMS takes %(n)d segments (%(enc)s); keep it within %(max)d.")
                    % {"n": count.segments, "enc": count.encoding, "max": RECOMMENDED_MAX_SEGMENTS},
                    messages.WARNING,
                )


@admin.register(EventNotificationSettings)
class EventNotificationSettingsAdmin(TenantModelAdmin):
    list_display = [
        "event",
        "reminder_offsets",
        "sms_enabled",
        "whatsapp_enabled",
        "email_enabled",
        "thank_you_enabled",
        "missed_you_enabled",
    ]
    autocomplete_fields = ["event"]


@admin.register(Message)
class MessageAdmin(TenantModelAdmin):
    list_display = [
        "id",
        "event",
        "purpose",
        "channel",
        "language",
        "status",
        "scheduled_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "channel", "purpose", "language"]
    date_hierarchy = "scheduled_at"
    actions = ["send_now", "retry_failed"]
    # The recipient is personal data: not searchable, not listed; visible on the row only.
    readonly_fields = [
        "channel",
        "recipient",
        "language",
        "purpose",
        "subject",
        "body",
        "idempotency_key",
        "event",
        "registration",
        "ticket",
        "session",
        "offset_minutes",
        "scheduled_at",
        "status",
        "attempts",
        "provider_id",
        "last_error",
        "sent_at",
        # What the provider reported after accepting it (delivery receipts).
        "delivered_at",
        "read_at",
        "fallback_of",
        "created_at",
    ]
    exclude = ["recipient_hash", "claim_token", "leased_until"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _by_event(self, request, queryset):
        events = {}
        for message in queryset.select_related("event__programme"):
            if message.event and can_manage_event(request.user, message.event):
                events.setdefault(message.event, []).append(message.pk)
        return events

    def _queue_per_event(self, request, queryset, service, done) -> None:
        """`service` once per event the user manages, with that event's selected messages;
        `done` is an `ngettext_lazy` counted by "count"."""
        total = sum(
            service(event=e, message_ids=ids)
            for e, ids in self._by_event(request, queryset).items()
        )
        self.message_user(request, done % {"count": total})

    @admin.action(description=_("Send the selected scheduled messages now"))
    def send_now(self, request, queryset):
        self._queue_per_event(
            request,
            queryset,
            services.messages_send_now,
            ngettext_lazy(
                "%(count)d message queued for sending.",
                "%(count)d messages queued for sending.",
                "count",
            ),
        )

    @admin.action(description=_("Retry the selected failed messages"))
    def retry_failed(self, request, queryset):
        self._queue_per_event(
            request,
            queryset,
            services.messages_retry_failed,
            ngettext_lazy(
                "%(count)d failed message queued again.",
                "%(count)d failed messages queued again.",
                "count",
            ),
        )


@admin.register(Suppression)
class SuppressionAdmin(TenantModelAdmin):
    list_display = ["channel", "source", "created_at"]
    list_filter = ["channel", "source"]
    readonly_fields = ["channel", "recipient_hash", "source", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(FeedbackAnswer)
class FeedbackAnswerAdmin(TenantModelAdmin):
    list_display = ["event", "satisfaction", "language", "submitted_on"]
    list_filter = ["satisfaction", "language"]
    exclude = ["ticket_digest"]
    readonly_fields = ["event", "satisfaction", "useful", "suggestions", "language", "submitted_on"]

    def has_add_permission(self, request):
        return False
