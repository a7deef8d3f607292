from django.contrib import admin

from core.tenant_admin import ReadOnlyTenantTabularInline, TenantModelAdmin, TenantTabularInline

from .models import CallForProposals, CallTheme, GroupCount, Proposal


class CallThemeInline(TenantTabularInline):
    model = CallTheme
    extra = 1


@admin.register(CallForProposals)
class CallForProposalsAdmin(TenantModelAdmin):
    list_display = ["event", "is_open", "created_at"]
    list_filter = ["is_open"]
    inlines = [CallThemeInline]


class GroupCountInline(ReadOnlyTenantTabularInline):
    model = GroupCount


@admin.register(Proposal)
class ProposalAdmin(TenantModelAdmin):
    """View only: submitting goes through the phone and table pages, moderation (accept, reject
    with a reason, merge) through the organizer's page and the API, which call the services."""

    list_display = ["id", "call", "theme", "source", "status", "created_at"]
    list_filter = ["status", "source", "call"]
    search_fields = ["title", "text"]
    # The person behind an individual proposal is never shown here: figures count them.
    exclude = ["ticket", "participant", "photo"]
    inlines = [GroupCountInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
