"""The volunteers' scanner page and the organizers' door pages (scan log, undo, paper list,
class headcount). Pages parse and authorize; services do the writing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.demographics import AgeBand, Gender, Profile
from core.errors import ApplicationError
from core.permissions import can_manage_event, is_staff_member
from core.plurals import counted_label
from core.services import audit_record
from events.access import managed_event
from events.models import Session

from .door_panel import door_panel
from .forms import ClassHeadcountForm, ScanLogFilterForm, UndoAdmissionForm
from .models import Attendance, ScanStatus
from .scanner_app import JSQR, optional_static
from .selectors import (
    paper_list_tickets,
    scan_log,
    session_admissions,
    session_counts,
    session_tickets,
    sessions_for_organizer,
    sync_conflicts,
)
from .services.corrections import attendance_void, paper_admissions_record
from .services.counted import class_tally_record

WALK_IN_AGE_BANDS = [
    AgeBand.AGE_0_4,
    AgeBand.AGE_5_11,
    AgeBand.AGE_12_17,
    AgeBand.AGE_18_24,
    AgeBand.AGE_25_59,
    AgeBand.AGE_60_PLUS,
]


DOOR_PANEL_REFRESH_SECONDS = 5


def _walk_in_buttons():
    """Women and men by age band, two to a row; then, in their own rows, people of another
    gender and people who prefer not to say: real answers the figures count apart."""
    people = {
        Gender.FEMALE: {
            AgeBand.AGE_0_4: _("Girl 0–4"),
            AgeBand.AGE_5_11: _("Girl 5–11"),
            AgeBand.AGE_12_17: _("Girl 12–17"),
            AgeBand.AGE_18_24: _("Woman 18–24"),
            AgeBand.AGE_25_59: _("Woman 25–59"),
            AgeBand.AGE_60_PLUS: _("Woman 60+"),
        },
        Gender.MALE: {
            AgeBand.AGE_0_4: _("Boy 0–4"),
            AgeBand.AGE_5_11: _("Boy 5–11"),
            AgeBand.AGE_12_17: _("Boy 12–17"),
            AgeBand.AGE_18_24: _("Man 18–24"),
            AgeBand.AGE_25_59: _("Man 25–59"),
            AgeBand.AGE_60_PLUS: _("Man 60+"),
        },
    }
    for band in WALK_IN_AGE_BANDS:
        people.setdefault(Gender.OTHER, {})[band] = _("Other gender %(age)s") % {"age": band.label}
        people.setdefault(Gender.UNDISCLOSED, {})[band] = _("Gender not said %(age)s") % {
            "age": band.label
        }
    return [
        {"gender": gender, "age_band": band, "label": people[gender][band]}
        for pair in ((Gender.FEMALE, Gender.MALE), (Gender.OTHER, Gender.UNDISCLOSED))
        for band in WALK_IN_AGE_BANDS
        for gender in pair
    ]


def group_panel_labels() -> dict:
    """The group panel's own texts (group.js)."""
    return {
        "inside": _("already admitted"),
        "not_valid": _("ticket not valid"),
        "choose_one": _("Tick at least one person."),
        "offline_admitted": _("Admitted offline: %s. They will be sent when the network is back."),
    }


def scanner(request):
    """The page itself holds no data: everything comes from the API with the volunteer's token."""
    labels = {
        "statuses": {status.value: str(status.label) for status in ScanStatus},
        "error": _("Something went wrong. Try again."),
        "token_invalid": _(
            "This door token is not valid (revoked or expired). Ask your organizer."
        ),
        "no_sessions": _("No session is assigned to this token."),
        "camera_ready": _("Camera on: hold the QR code in front of it."),
        "camera_denied": _("The camera is not available. Type the short code instead."),
        "camera_unavailable": _("This browser cannot scan with the camera. Type the short code."),
        "group_of": counted_label(
            lambda n: ngettext("group of %(count)s person", "group of %(count)s people", n)
        ),
        "no_match": _("Nobody found."),
        "admit": _("Admit"),
        "already": _("Already admitted"),
        # Offline door (issue 5).
        "online": _("Online"),
        "offline": _("Offline"),
        "never": _("never"),
        "offline_error": _("No network: this needs a connection."),
        "offline_admitted": _("Admitted offline: it will be sent when the network is back."),
        "offline_known_walk_in": _(
            "Known participant, admitted offline as walk-in: registered when the network is back."
        ),
        "offline_already": _("Already admitted on this device."),
        "offline_unknown": _(
            "Not in this device's ticket list (last sync %s). Check the code, "
            "or search the person again once online."
        ),
        "offline_cancelled": _("This ticket was not valid at the last sync (%s)."),
        "offline_wrong_session": _("This ticket is for another session."),
        "offline_not_open": _("Check-in for this session is not open now."),
        "offline_no_pack": _(
            "This device has no ticket list for this event yet: connect to the network once."
        ),
        # Counted messages: every plural form and the form each count takes (core/plurals.py).
        "offline_walk_in": counted_label(
            lambda n: ngettext(
                "%(count)s person counted offline: sent when the network is back.",
                "%(count)s people counted offline: sent when the network is back.",
                n,
            )
        ),
        "pack_info": counted_label(
            lambda n: ngettext(
                "Ticket list for offline use: %(count)s ticket.",
                "Ticket list for offline use: %(count)s tickets.",
                n,
            )
        ),
        "pack_preparing": _(
            "The server is still preparing the ticket list: this device will try again in a minute."
        ),
        "syncing": _("Sending…"),
        "sync_done": _("Sent: {sent}. Conflicts for the organizer: {conflicts}."),
        "sync_failed": _("Sending failed: it will be retried when the network is back."),
        "sync_refused": _("The server refused the waiting scans: %s"),
        "sync_set_aside": counted_label(
            lambda n: ngettext(
                "%(count)s malformed item was set aside; tell your organizer.",
                "%(count)s malformed items were set aside; tell your organizer.",
                n,
            )
        ),
        "logout_pending": _(
            "Scans are still waiting to be sent. Log out anyway? "
            "They will be sent with the next token that logs in on this device."
        ),
        "genders": {value: str(label) for value, label in Gender.choices},
    }
    return render(
        request,
        "attendance/scanner.html",
        {
            "labels": labels,
            "group_labels": group_panel_labels(),
            "api_base": "/api/v1",
            "profiles": Profile.choices,
            "walk_in_buttons": _walk_in_buttons(),
            # None without `npm ci`: the page then decodes with the browser's BarcodeDetector.
            "jsqr_url": optional_static(JSQR),
            # The event's clock (door windows and the scan messages use the current time zone).
            "utc_offset_minutes": int(timezone.localtime().utcoffset().total_seconds() // 60),
        },
    )


def _managed_session(request, session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("event__programme", "venue"), pk=session_id
    )
    if not can_manage_event(request.user, session.event):
        raise Http404
    return session


@login_required
def event_door_panel(request, event_id: int):
    """The live door panel: the page polls event_door_panel_data every few seconds."""
    event = managed_event(request, event_id)
    labels = {
        "admitted": _("Admitted"),
        "per_minute": _("per minute"),
        "inside_now": _("Inside now"),
        "online": _("Online"),
        "offline": _("Offline"),
        "last_seen": _("last seen at"),
        "unsynced": _("Not synced"),
        "none": _("Nothing yet."),
    }
    return render(
        request,
        "attendance/door_panel.html",
        {
            "event": event,
            "panel": door_panel(event=event),
            "refresh_seconds": DOOR_PANEL_REFRESH_SECONDS,
            "labels": labels,
        },
    )


@login_required
def event_door_panel_data(request, event_id: int):
    response = JsonResponse(door_panel(event=managed_event(request, event_id)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def door_index(request):
    """The sessions whose door this organizer may follow, most recent first."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    sessions = (
        sessions_for_organizer(user=request.user)
        .select_related("venue")
        .order_by("-date", "-start_time")[:200]
    )
    return render(request, "attendance/door_index.html", {"sessions": sessions})


@login_required
def session_door(request, session_id: int):
    session = _managed_session(request, session_id)
    filters = ScanLogFilterForm(request.GET or None, session=session)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    attempts = scan_log(
        session=session,
        status=criteria.get("status", ""),
        gate=criteria.get("gate", ""),
        token_id=criteria["volunteer"].pk if criteria.get("volunteer") else None,
    )[:500]
    return render(
        request,
        "attendance/session_door.html",
        {
            "session": session,
            "filters": filters,
            "attempts": attempts,
            "admissions": session_admissions(session=session)[:500],
            "counts": session_counts(session=session),
            "conflicts": sync_conflicts(session=session)[:500],
            "undo_form": UndoAdmissionForm(),
        },
    )


@login_required
@require_POST
def undo_admission(request, session_id: int, attendance_id: int):
    session = _managed_session(request, session_id)
    attendance = get_object_or_404(Attendance, pk=attendance_id, session=session)
    form = UndoAdmissionForm(request.POST)
    if form.is_valid():
        try:
            attendance_void(
                attendance=attendance, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The admission was undone."))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Say why this admission is undone."))
    return redirect(reverse("attendance:session_door", args=[session.pk]))


@login_required
def paper_list(request, session_id: int):
    session = _managed_session(request, session_id)
    # reportlab loads with the first PDF, not in every process at start (README, "Small server").
    from .paper import paper_list_pdf

    pdf = paper_list_pdf(session=session, tickets=session_tickets(session=session))
    audit_record(actor=request.user, action="paper_list_exported", target=session)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="checkin-list-session-{session.pk}.pdf"'
    return response


@login_required
def paper_marks(request, session_id: int):
    session = _managed_session(request, session_id)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("ticket") if value.isdigit()]
        try:
            admitted = paper_admissions_record(session=session, ticket_ids=ids, user=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s person marked as attended.",
                    "%(count)s people marked as attended.",
                    admitted,
                )
                % {"count": admitted},
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(reverse("attendance:paper_marks", args=[session.pk]))
    return render(
        request,
        "attendance/paper_marks.html",
        {
            "session": session,
            "tickets": paper_list_tickets(session=session),
        },
    )


@login_required
def class_headcount(request, session_id: int):
    session = _managed_session(request, session_id)
    form = ClassHeadcountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            total = class_tally_record(session=session, groups=form.groups(), user=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s pupil counted.", "%(count)s pupils counted.", total)
                % {"count": total},
            )
            return redirect(reverse("attendance:session_door", args=[session.pk]))
    return render(request, "attendance/class_headcount.html", {"session": session, "form": form})
