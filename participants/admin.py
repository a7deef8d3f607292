"""Participants in the admin, to look only: merges and decisions go through the duplicates queue
(participants.services.merging), which audits them and keeps every pointer undoable."""

from django.contrib import admin

from core.tenant_admin import ReadOnlyTenantAdmin

from .models import DuplicateCandidate, Participant, ParticipantMerge


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "organization", "gender", "age_band", "profile", "merged_into"]
    list_filter = ["gender", "age_band", "profile"]
    # The keyed hashes are not editable fields, so the admin never shows them.
    fields = ["organization", "gender", "age_band", "birth_year", "profile", "merged_into"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "organization", "reason", "score", "status", "decided_at"]
    list_filter = ["status", "reason"]


@admin.register(ParticipantMerge)
class ParticipantMergeAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "organization", "merged_at", "merged_by", "undone_at"]
