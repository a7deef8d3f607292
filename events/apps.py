from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Programmes and events")

    def ready(self):
        from core import tenancy as t
        from core.permissions import programme_seen_q

        # A programme is changed by its lead organisation; an organisation running one of its
        # events sees it and may add events to it (as the API allows).
        t.register(
            "events.Programme",
            t.owned(
                programme_seen_q,
                t.field_q("lead_organization_id"),
                owner_field="lead_organization",
                distinct=True,
                pick_visible=True,
            ),
        )
        t.register("events.Target", t.owned(t.field_q("programme__lead_organization_id")))
        # The venue directory is shared; an organisation changes only the venues it added.
        t.register("events.Venue", t.shared("organization", seen_by_all=True))
        t.register("events.Event", t.owned(t.event_q()))
        for model in ("Session", "Registration", "Ticket"):
            t.register(f"events.{model}", t.owned(t.event_q("event__")))
        t.register("events.Attendee", t.owned(t.event_q("registration__event__")))
