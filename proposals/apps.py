from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import tenancy as t

        t.register("proposals.CallForProposals", t.owned(t.event_q("event__")))
        t.register("proposals.CallTheme", t.owned(t.event_q("call__event__")))
        t.register("proposals.Proposal", t.owned(t.event_q("call__event__")))
        t.register("proposals.GroupCount", t.owned(t.event_q("proposal__call__event__")))
        t.register("proposals.ProposalEndorsement", t.owned(t.event_q("proposal__call__event__")))
        t.register("proposals.ProposalAddressee", t.owned(t.event_q("proposal__call__event__")))

        from events import signals

        from . import receivers

        signals.registrations_pseudonymised.connect(
            receivers.on_registrations_pseudonymised, dispatch_uid="proposals.pseudonymised"
        )
