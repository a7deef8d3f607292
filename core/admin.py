from django.contrib import admin

from .models import AuditEntry, Contact, Membership, Organization
from .permissions import can_manage_memberships, can_manage_organizations, is_administrator
from .services import membership_delete, membership_save


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "preferred_language", "user"]
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "acronym"]
    inlines = [ContactInline]

    # Shared by every NGO: organizers may read them (with the view permission), not change them.
    def has_add_permission(self, request):
        return can_manage_organizations(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_organizations(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_organizations(request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user"]

    # Role changes are for administrators only, and each one lands in the audit trail.
    def has_module_permission(self, request):
        return can_manage_memberships(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_memberships(request.user)

    def has_add_permission(self, request):
        return can_manage_memberships(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_memberships(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_memberships(request.user)

    def save_model(self, request, obj, form, change):
        membership_save(membership=obj, actor=request.user, created=not change)

    def delete_model(self, request, obj):
        membership_delete(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            membership_delete(membership=membership, actor=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)
