from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .models import AuditEntry, Contact, Membership, Organization
from .permissions import can_manage_memberships
from .services import membership_delete, membership_save
from .tenant_admin import (
    PlatformAdminMixin,
    ReadOnlyTenantAdmin,
    TenantModelAdmin,
    TenantTabularInline,
)


class ContactInline(TenantTabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "whatsapp_opt_in", "preferred_language", "user"]
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(TenantModelAdmin):
    list_display = ["name", "acronym", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "acronym"]
    inlines = [ContactInline]

    # Shared by every NGO (a reference rule in core.tenancy): organizers read them with the view
    # permission; adding, changing and deleting are for administrators, as in the API.


@admin.register(Membership)
class MembershipAdmin(TenantModelAdmin):
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
class AuditEntryAdmin(ReadOnlyTenantAdmin):
    list_display = ["created_at", "actor_label", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


# Accounts, groups and the login-attempt log: administrators only, whatever permissions a user
# was given.
for model, model_admin in (
    (get_user_model(), UserAdmin),
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (PlatformAdminMixin, model_admin), {}))
