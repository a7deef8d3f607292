"""System check: every model in the admin has a tenancy rule and an admin class that applies it,
so a model added later cannot leak one organisation's rows to another's staff."""

from django.contrib import admin
from django.core import checks

from . import tenancy
from .tenant_admin import PlatformAdminMixin, TenantInlineMixin, TenantModelAdmin


@checks.register(checks.Tags.admin, checks.Tags.security)
def admin_models_are_scoped(app_configs=None, **kwargs):
    errors = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if not tenancy.has_rule(model):
            errors.append(
                checks.Error(
                    f"{label} is in the admin without a tenancy rule.",
                    hint="Register one with core.tenancy.register() in its app's ready().",
                    id="multaqa.E001",
                )
            )
        if not isinstance(model_admin, TenantModelAdmin | PlatformAdminMixin):
            errors.append(
                checks.Error(
                    f"The admin of {label} does not apply the tenancy rule.",
                    hint="Derive it from core.tenant_admin.TenantModelAdmin.",
                    id="multaqa.E002",
                )
            )
        for inline in model_admin.inlines:
            if not issubclass(inline, TenantInlineMixin) and not isinstance(
                model_admin, PlatformAdminMixin
            ):
                errors.append(
                    checks.Error(
                        f"The inline {inline.__name__} of {label} is not scoped.",
                        hint="Derive it from core.tenant_admin.TenantTabularInline.",
                        id="multaqa.E003",
                    )
                )
            elif not tenancy.has_rule(inline.model):
                errors.append(
                    checks.Error(
                        f"{inline.model._meta.label} is in the admin without a tenancy rule.",
                        id="multaqa.E001",
                    )
                )
    return errors
