from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tenancy as t
        from events import signals

        from . import receivers

        for model in ("Participant", "DuplicateCandidate", "ParticipantMerge"):
            t.register(f"participants.{model}", t.owned(t.field_q("organization_id")))
        t.register(
            "participants.ParticipantLink", t.owned(t.field_q("participant__organization_id"))
        )
        t.register(
            "participants.ParticipantCard", t.owned(t.field_q("participant__organization_id"))
        )
        t.register("participants.MatchKey", t.PLATFORM)

        signals.attendees_registered.connect(
            receivers.on_attendees_registered, dispatch_uid="participants.link"
        )
        signals.registrations_pseudonymised.connect(
            receivers.on_registrations_pseudonymised, dispatch_uid="participants.pseudonymised"
        )
