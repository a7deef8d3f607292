from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisations and access")

    def ready(self):
        from . import checks  # noqa: F401  (registers the tenancy system check)
        from . import tenancy as t

        # Organisations are partners, donors and schools of many programmes: shared reference.
        t.register("core.Organization", t.REFERENCE)
        # A contact is a person of one organisation: only its members see them.
        t.register("core.Contact", t.owned(t.field_q("organization_id")))
        for label in ("core.Membership", "core.AuditEntry", "auth.Group"):
            t.register(label, t.PLATFORM)
        for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
            t.register(label, t.PLATFORM)
        # Accounts are changed by administrators; organizers pick among their members (a
        # forum's rapporteur, for instance).
        t.register(
            "auth.User",
            t.owned(
                t.field_q("memberships__organization_id"),
                t.nothing,
                distinct=True,
                pick_visible=True,
            ),
        )
