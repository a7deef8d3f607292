from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from core import tenancy as t

        from . import receivers  # noqa: F401  (connects the signal receivers)

        for model in ("Attendance", "DoorSettings", "ScanAttempt"):
            t.register(f"attendance.{model}", t.owned(t.event_q("event__")))
        for model in ("SyncConflict", "DoorDevice"):
            t.register(f"attendance.{model}", t.owned(t.event_q("session__event__")))
        # A door token is seen by the organisations of any of its events, and changed (revoked)
        # only by an organisation that runs all of them.
        t.register(
            "attendance.DoorToken",
            t.owned(
                t.event_q("events__"),
                lambda orgs: t.event_q("events__")(orgs) & ~Q(events__in=_events_outside(orgs)),
                distinct=True,
            ),
        )


def _events_outside(orgs):
    from core import tenancy as t
    from events.models import Event

    return Event.objects.exclude(t.event_q()(orgs)).values("pk")
