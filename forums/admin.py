from django.contrib import admin

from core.tenant_admin import TenantModelAdmin

from . import admin_responses  # noqa: F401 - registers the answers' admins
from .models import (
    ForumSettings,
    ForumSummary,
    RapporteurAssignment,
    Recommendation,
    Theme,
    Workshop,
)
from .services import rapporteur_assign


@admin.register(Theme)
class ThemeAdmin(TenantModelAdmin):
    list_display = ["name_fr", "event", "position"]
    list_filter = ["event"]


@admin.register(Workshop)
class WorkshopAdmin(TenantModelAdmin):
    list_display = ["name_fr", "event", "theme"]
    list_filter = ["event"]


@admin.register(ForumSettings)
class ForumSettingsAdmin(TenantModelAdmin):
    list_display = ["event"]


@admin.register(RapporteurAssignment)
class RapporteurAssignmentAdmin(TenantModelAdmin):
    list_display = ["user", "event", "workshop"]
    list_filter = ["event"]

    def save_model(self, request, obj, form, change):
        # Through the service, so that the rapporteur membership is created too.
        assignment = rapporteur_assign(
            event=obj.event, user=obj.user, workshop=obj.workshop, assigned_by=request.user
        )
        obj.pk = assignment.pk


@admin.register(Recommendation)
class RecommendationAdmin(TenantModelAdmin):
    """View only: edits and the lifecycle (adopt, merge, reject) go through the organizer page
    and the API, which both call the services."""

    list_display = ["id", "event", "theme", "status", "priority"]
    list_filter = ["event", "status", "theme"]
    search_fields = ["text", "text_fr", "text_ar", "text_en"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ForumSummary)
class ForumSummaryAdmin(TenantModelAdmin):
    list_display = ["event", "number", "language", "built_at", "released_at", "sha256"]
    exclude = ["html", "pdf", "data"]
    # Released only through the preview and its confirmation, which also sends the e-mails.
    readonly_fields = [
        "event",
        "number",
        "language",
        "built_at",
        "built_by",
        "released_at",
        "released_by",
        "sha256",
    ]

    def has_add_permission(self, request):
        return False
