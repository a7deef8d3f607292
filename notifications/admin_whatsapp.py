"""Admin of the WhatsApp templates: which approved template carries each purpose in each
language, and a warning listing the purposes and languages that have none (those go by SMS or
e-mail instead)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from core.permissions import organization_ids
from core.tenant_admin import TenantModelAdmin

from .models import WhatsAppTemplate
from .selectors import whatsapp_templates_missing


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(TenantModelAdmin):
    list_display = [
        "purpose",
        "language",
        "provider_name",
        "provider_language_code",
        "organization",
        "is_active",
        "updated_at",
    ]
    list_filter = ["purpose", "language", "is_active", ("organization", admin.EmptyFieldListFilter)]
    fields = [
        "organization",
        "purpose",
        "language",
        "provider_name",
        "provider_language_code",
        "parameters",
        "is_active",
    ]

    def changelist_view(self, request, extra_context=None):
        missing = whatsapp_templates_missing(organization_ids=organization_ids(request.user))
        if missing and request.method == "GET":
            listed = "; ".join(f"{purpose} ({language})" for purpose, language in missing)
            self.message_user(
                request,
                _("No WhatsApp template, so these go by SMS or e-mail: %(list)s")
                % {"list": listed},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context=extra_context)
