"""The admin's view of the institutions' answers: read only. A position, a commitment or an
update is the partner organisation's word, written through the partner portal or the API by
forums.services_responses; an organizer may look (scoped to their forums by the tenancy rule),
never put words in an institution's mouth. Documents stay out of the admin: the organizer's
follow-up page serves them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.tenant_admin import ReadOnlyTenantAdmin, ReadOnlyTenantTabularInline

from .models import Commitment, CommitmentUpdate, Response


class CommitmentInline(ReadOnlyTenantTabularInline):
    model = Commitment
    fields = ["what", "by_whom", "due_on", "state", "last_activity_at"]
    show_change_link = True


class CommitmentUpdateInline(ReadOnlyTenantTabularInline):
    model = CommitmentUpdate
    fields = ["state", "note", "document_name", "created_at"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyTenantAdmin):
    list_display = ["id", "subject_label", "organization", "position", "answered_at"]
    list_filter = ["position"]
    list_select_related = ["organization"]
    fields = ["organization", "position", "reasons", "answered_by", "answered_at", "updated_at"]
    inlines = [CommitmentInline]

    @admin.display(description=_("subject"))
    def subject_label(self, obj):
        return str(obj.subject)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyTenantAdmin):
    list_display = ["id", "what", "by_whom", "due_on", "state"]
    list_filter = ["state"]
    fields = ["response", "what", "by_whom", "due_on", "state", "created_at", "last_activity_at"]
    inlines = [CommitmentUpdateInline]


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(ReadOnlyTenantAdmin):
    list_display = ["id", "commitment", "state", "document_name", "created_at"]
    list_filter = ["state"]
    fields = ["commitment", "state", "note", "document_name", "created_by", "created_at"]
