import base64
import io

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tenant_admin import ReadOnlyTenantAdmin, TenantModelAdmin

from .models import Attendance, DoorSettings, DoorToken, ScanAttempt, SyncConflict
from .services.tokens import door_token_create, door_token_revoke


def _qr_data_uri(text: str) -> str:
    # qrcode and Pillow load with the first door token shown, not in every process that
    # registers the admin at start (README, "Small server").
    import qrcode

    image = qrcode.make(text, box_size=4, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


class DoorTokenForm(forms.ModelForm):
    class Meta:
        model = DoorToken
        fields = ["label", "events", "language", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at and expires_at <= timezone.now() and not self.instance.pk:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires_at


@admin.register(DoorToken)
class DoorTokenAdmin(TenantModelAdmin):
    form = DoorTokenForm
    list_display = ["label", "token_prefix", "created_by", "created_at", "expires_at", "revoked_at"]
    list_filter = ["events", "revoked_at"]
    search_fields = ["label", "token_prefix"]
    filter_horizontal = ["events"]
    fields = [
        "label",
        "events",
        "language",
        "expires_at",
        "token_prefix",
        "created_by",
        "created_at",
        "revoked_at",
    ]
    readonly_fields = ["token_prefix", "created_by", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        issued = door_token_create(
            label=obj.label,
            events=form.cleaned_data["events"],
            created_by=request.user,
            expires_at=obj.expires_at,
            language=obj.language,
        )
        created = issued.door_token
        obj.pk, obj.token_hash, obj.token_prefix = (
            created.pk,
            created.token_hash,
            created.token_prefix,
        )
        obj.created_by, obj.created_at = created.created_by, created.created_at
        obj._state.adding = False
        # The raw token exists only now: the link below is the one and only time it is shown.
        link = (
            request.build_absolute_uri(reverse("attendance:scanner")) + "#token=" + issued.raw_token
        )
        messages.warning(
            request,
            format_html(
                '{} <a href="{}">{}</a><br><img src="{}" alt="" width="180" height="180"><br><code>{}</code>',
                _(
                    "Give this scanner login link (or QR code) to the volunteer now: it will not be shown again."
                ),
                link,
                link,
                _qr_data_uri(link),
                issued.raw_token,
            ),
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for door_token in queryset:
            door_token_revoke(door_token=door_token, revoked_by=request.user)
        self.message_user(request, _("Tokens revoked."))


@admin.register(DoorSettings)
class DoorSettingsAdmin(TenantModelAdmin):
    list_display = ["event", "opens_minutes_before", "closes_minutes_after", "exit_scans_enabled"]


@admin.register(ScanAttempt)
class ScanAttemptAdmin(ReadOnlyTenantAdmin):
    list_display = ["server_time", "session", "action", "status", "gate", "token", "text"]
    list_filter = ["status", "action"]
    date_hierarchy = "server_time"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__event", "token")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyTenantAdmin):
    list_display = [
        "recorded_at",
        "session",
        "source",
        "gender",
        "age_band",
        "headcount",
        "recorded_by_label",
        "voided_at",
        "door_page",
    ]
    list_filter = ["source", "gender", "age_band"]
    date_hierarchy = "recorded_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__event")

    @admin.display(description=_("door page"))
    def door_page(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("attendance:session_door", args=[obj.session_id]),
            _("door"),
        )


@admin.register(SyncConflict)
class SyncConflictAdmin(ReadOnlyTenantAdmin):
    list_display = ["detected_at", "session", "kind", "ticket", "token", "device_id", "device_time"]
    list_filter = ["kind"]
    date_hierarchy = "detected_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__event", "token", "ticket")
