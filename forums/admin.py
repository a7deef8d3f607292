from django.contrib import admin

from .models import (
    ForumSettings,
    ForumSummary,
    RapporteurAssignment,
    Recommendation,
    Theme,
    Workshop,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "event", "position"]
    list_filter = ["event"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "event", "theme"]
    list_filter = ["event"]


@admin.register(ForumSettings)
class ForumSettingsAdmin(admin.ModelAdmin):
    list_display = ["event"]


@admin.register(RapporteurAssignment)
class RapporteurAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "workshop"]
    list_filter = ["event"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-mostly: the lifecycle (adopt, merge, reject) goes through the organizer page."""

    list_display = ["id", "event", "theme", "status", "priority"]
    list_filter = ["event", "status", "theme"]
    search_fields = ["text", "text_fr", "text_ar", "text_en"]
    readonly_fields = ["status", "merged_into", "created_by", "decided_at"]
    filter_horizontal = ["addressed_to"]


@admin.register(ForumSummary)
class ForumSummaryAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "language", "built_at", "sha256"]
    exclude = ["html", "pdf", "data"]
    readonly_fields = ["event", "number", "language", "built_at", "built_by", "sha256"]

    def has_add_permission(self, request):
        return False
