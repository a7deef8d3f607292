"""The admin side of core.tenancy: every ModelAdmin and inline of the project derives from one of
these, so the rows listed, the choices offered (select boxes, raw ids, autocomplete), the objects
opened and the actions run are scoped to the organizer's organisations in one place.

core.checks refuses an admin registration that does not use them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from . import tenancy
from .permissions import is_administrator


class TenantScopedMixin:
    """Scope a ModelAdmin or an inline by the model's tenancy rule."""

    def get_queryset(self, request):
        return tenancy.visible(request.user, super().get_queryset(request))

    def _choices(self, db_field, request, queryset):
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        owner = db_field.name == tenancy.rule_for(self.model).owner_field
        return tenancy.choices(request.user, db_field.remote_field.model, queryset, owner=owner)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs.get("queryset"))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        owner = db_field.name == tenancy.rule_for(self.model).owner_field
        if field is not None and owner and not is_administrator(request.user):
            # Left empty, the row would belong to nobody the organizer can reach.
            field.required = True
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _writes_allowed(self, request) -> bool:
        rule = tenancy.rule_for(self.model)
        return is_administrator(request.user) or rule.kind in ("owned", "shared")

    def has_module_permission(self, request):
        if tenancy.rule_for(self.model).kind == "platform":
            return is_administrator(request.user)
        return super().has_module_permission(request)


class TenantModelAdmin(TenantScopedMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices, objects and actions follow the tenancy rule."""

    def has_view_permission(self, request, obj=None):
        if tenancy.rule_for(self.model).kind == "platform" and not is_administrator(request.user):
            return False
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or tenancy.may_see(request.user, obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and tenancy.may_create(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        if not (super().has_change_permission(request, obj) and self._writes_allowed(request)):
            return False
        return obj is None or tenancy.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not (super().has_delete_permission(request, obj) and self._writes_allowed(request)):
            return False
        return obj is None or tenancy.may_change(request.user, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The form's choices already keep other organisations out; this catches a row that a
        # save would still move out of the user's reach. The admin's view is atomic, so
        # raising here rolls the write back.
        if not tenancy.may_change(request.user, obj):
            raise PermissionDenied

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, tenancy.writable(request.user, queryset))

    def response_action(self, request, queryset):
        # Actions write: they run on the selected rows the user may change, never on rows
        # that are only visible (another lead organisation's programme, a shared door token).
        return super().response_action(request, tenancy.writable(request.user, queryset))


class ReadOnlyTenantAdmin(TenantModelAdmin):
    """For records that only services write (scan log, admissions, audit, merges): the admin looks,
    it does not add, edit or delete, whoever the user is."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TenantInlineMixin(TenantScopedMixin):
    """Inline rows are scoped like their model; the parent's own permission decides the rest."""

    def has_add_permission(self, request, obj=None):
        return (
            super().has_add_permission(request, obj)
            and self._writes_allowed(request)
            and tenancy.may_create(request.user, self.model)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._writes_allowed(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._writes_allowed(request)


class TenantTabularInline(TenantInlineMixin, admin.TabularInline):
    pass


class TenantStackedInline(TenantInlineMixin, admin.StackedInline):
    pass


class ReadOnlyTenantTabularInline(TenantTabularInline):
    """Rows that only services write, shown under their parent: no row added, changed or
    deleted from the admin, whoever the user is."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlatformAdminMixin:
    """Administrators only, whatever model permissions a user was given (accounts, groups, the
    login-attempt log)."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)
