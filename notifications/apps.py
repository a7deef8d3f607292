from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        from events import signals

        from . import receivers

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
