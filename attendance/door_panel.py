"""Reads for the live door panel of one event (organizers and door leads): the pace at each gate,
how long the queue of people registered and not yet admitted will take at the recent pace, the
recent refusals by status, and the scanners that went offline with scans not yet synced.

Nothing personal: counts, gates, statuses and times; a refusal is never shown with its scanned
text, ticket or name. A constant number of queries whatever the crowd (the panel polls every few
seconds): one per read below, and per session of the day two."""

import datetime
import math

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event

from .models import Attendance, DoorDevice, ScanAttempt, ScanStatus
from .selectors import inside_now, session_tickets
from .services.door import door_settings_for

# The recent pace: admissions and scans of the last minutes.
RATE_WINDOW = datetime.timedelta(minutes=10)
# Refusals shown: those of the last half hour.
REFUSAL_WINDOW = datetime.timedelta(minutes=30)
RECENT_REFUSALS = 10
# A scanner sends a heartbeat every 30 seconds while it has a network: three missed, it is offline.
OFFLINE_AFTER = datetime.timedelta(seconds=90)
# Answers that let someone in or out; every other one is a refusal at the door.
MOVEMENTS = (ScanStatus.ADMITTED, ScanStatus.EXITED, ScanStatus.RECORDED)


def _per_minute(count: int) -> float:
    return round(count / (RATE_WINDOW.total_seconds() / 60), 1)


def queue_estimate(*, remaining: int, admitted_recently: int) -> tuple[int | None, str]:
    """Minutes until the people registered and not yet admitted are in, at the recent pace
    (None when nobody was admitted recently), and the sentence that says it."""
    if remaining <= 0:
        return 0, _("Everyone registered is in.")
    left = ngettext(
        "%(count)d person registered is not in yet",
        "%(count)d people registered are not in yet",
        remaining,
    ) % {"count": remaining}
    if admitted_recently == 0:
        return None, _("%(left)s; nobody admitted in the last minutes.") % {"left": left}
    minutes = math.ceil(remaining / (admitted_recently / (RATE_WINDOW.total_seconds() / 60)))
    wait = ngettext("≈ %(count)d minute", "≈ %(count)d minutes", minutes) % {"count": minutes}
    return minutes, _("At this rate, %(left)s: %(wait)s.") % {"left": left, "wait": wait}


def _gates(event: Event, since) -> list[dict]:
    rows = (
        ScanAttempt.objects.filter(event=event, server_time__gte=since)
        .values("gate")
        .annotate(scans=Count("id"))
        .order_by("gate")
    )
    return [
        {"gate": row["gate"] or _("(no gate)"), "per_minute": _per_minute(row["scans"])}
        for row in rows
    ]


def _session_queue(session, since, *, exits_scanned: bool) -> dict:
    registered = session_tickets(session=session).count()
    admissions = Attendance.objects.filter(
        session=session, ticket__isnull=False, voided_at__isnull=True
    ).aggregate(
        admitted=Count("ticket", distinct=True),
        recent=Count("ticket", distinct=True, filter=Q(recorded_at__gte=since)),
    )
    remaining = max(registered - admissions["admitted"], 0)
    minutes, estimate = queue_estimate(remaining=remaining, admitted_recently=admissions["recent"])
    return {
        "id": session.pk,
        "label": str(session),
        "registered": registered,
        "admitted": admissions["admitted"],
        "remaining": remaining,
        "per_minute": _per_minute(admissions["recent"]),
        "minutes_left": minutes,
        "estimate": estimate,
        "inside_now": inside_now(session_id=session.pk) if exits_scanned else None,
    }


def _refusals(event: Event, since) -> tuple[list[dict], list[dict]]:
    refused = ScanAttempt.objects.filter(event=event, server_time__gte=since).exclude(
        status__in=MOVEMENTS
    )
    labels = dict(ScanStatus.choices)
    by_status = [
        {"status": row["status"], "label": str(labels[row["status"]]), "count": row["count"]}
        for row in refused.values("status").annotate(count=Count("id")).order_by("-count")
    ]
    recent = [
        {
            "time": timezone.localtime(row["server_time"]).strftime("%H:%M"),
            "gate": row["gate"],
            "label": str(labels[row["status"]]),
        }
        for row in refused.order_by("-server_time", "-id").values("server_time", "gate", "status")[
            :RECENT_REFUSALS
        ]
    ]
    return by_status, recent


def _devices(event: Event, now) -> list[dict]:
    devices = (
        DoorDevice.objects.filter(session__event=event)
        .select_related("token", "session")
        .order_by("-last_seen_at")
    )
    return [
        {
            "label": device.token.label,
            "device": device.device_id[:8],
            "gate": device.gate,
            "last_seen": timezone.localtime(device.last_seen_at).strftime("%H:%M"),
            "offline": now - device.last_seen_at > OFFLINE_AFTER,
            "unsynced": device.unsynced,
        }
        for device in devices
    ]


def door_panel(*, event: Event, now: datetime.datetime | None = None) -> dict:
    """The live door panel of `event`: its sessions of the day (else all its sessions)."""
    now = now or timezone.now()
    since = now - RATE_WINDOW
    sessions = list(event.sessions.filter(date=timezone.localdate(now)).order_by("start_time"))
    if not sessions:
        sessions = list(event.sessions.order_by("date", "start_time"))
    # Read once for the event, not once per session.
    exits_scanned = door_settings_for(event).exit_scans_enabled
    by_status, recent = _refusals(event, now - REFUSAL_WINDOW)
    devices = _devices(event, now)
    offline = [device for device in devices if device["offline"]]
    unsynced = sum(device["unsynced"] for device in offline)
    return {
        "generated_at": timezone.localtime(now).strftime("%H:%M:%S"),
        "gates": _gates(event, since),
        "sessions": [
            _session_queue(session, since, exits_scanned=exits_scanned) for session in sessions
        ],
        "refusals": by_status,
        "recent_refusals": recent,
        "devices": devices,
        "offline_devices": len(offline),
        "unsynced": unsynced,
        "devices_summary": devices_summary(offline=len(offline), unsynced=unsynced),
    }


def devices_summary(*, offline: int, unsynced: int) -> str:
    if not offline:
        return _("No device is offline.")
    devices = ngettext("%(count)d device offline", "%(count)d devices offline", offline) % {
        "count": offline
    }
    scans = ngettext(
        "%(count)d scan not synced on them", "%(count)d scans not synced on them", unsynced
    ) % {"count": unsynced}
    return f"{devices}; {scans}."
