from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        from core import tenancy as t

        # The texts every organisation's participants receive belong to the platform; an
        # organisation may override one for its own events.
        t.register("notifications.MessageTemplate", t.shared("organization"))
        t.register("notifications.WhatsAppTemplate", t.shared("organization"))
        t.register("notifications.Suppression", t.PLATFORM)
        for model in ("EventNotificationSettings", "Message", "FeedbackAnswer", "InboundMessage"):
            t.register(f"notifications.{model}", t.owned(t.event_q("event__")))

        from events import signals

        from . import receivers
        from .signals import inbound_message_received, message_undeliverable

        message_undeliverable.connect(
            receivers.on_message_undeliverable, dispatch_uid="notifications.undeliverable"
        )

        uid = "notifications"
        signals.registration_confirmed.connect(
            receivers.on_registration_confirmed, dispatch_uid=f"{uid}.confirmed"
        )
        signals.ticket_promoted.connect(
            receivers.on_ticket_promoted, dispatch_uid=f"{uid}.promoted"
        )
        signals.ticket_cancelled.connect(
            receivers.on_ticket_cancelled, dispatch_uid=f"{uid}.ticket_cancelled"
        )
        signals.sessions_rescheduled.connect(
            receivers.on_sessions_rescheduled, dispatch_uid=f"{uid}.rescheduled"
        )
        signals.event_cancelled.connect(
            receivers.on_event_cancelled, dispatch_uid=f"{uid}.event_cancelled"
        )
        signals.event_closed.connect(receivers.on_event_closed, dispatch_uid=f"{uid}.event_closed")
        signals.registrations_pseudonymised.connect(
            receivers.on_registrations_pseudonymised, dispatch_uid=f"{uid}.pseudonymised"
        )
        inbound_message_received.connect(
            receivers.on_inbound_message_received, dispatch_uid=f"{uid}.inbound"
        )
