"""The room's pages: the answering page the room QR opens (participant's phone, or the
facilitator's in oral mode), the room QR itself, the questions' pictures and recordings, and the
organizer's results page (exact figures; partners see suppressed ones through reporting)."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from core.auth import organizer_page
from core.demographics import AgeBand, Gender, Profile
from core.permissions import scope_events, scope_programmes
from core.qr import qr_png_bytes
from events.models import Event, Programme

from .api import check_payload
from .models import Choice, Question
from .selectors import (
    assignment_by_token,
    assignments_of_event,
    results_for_event,
    results_for_programme,
    results_for_session,
)

MEDIA = {("question", "picture"), ("question", "audio"), ("choice", "picture")}


def _assignment(token: str):
    assignment = assignment_by_token(token)
    if assignment is None:
        raise Http404
    return assignment


@require_GET
def answer(request, token: str):
    assignment = _assignment(token)
    return render(
        request,
        "assessments/answer.html",
        {
            "assignment": assignment,
            "event": assignment.event,
            "check": check_payload(assignment),
            "facilitator": request.GET.get("mode") == "oral",
            "submit_url": reverse("api-v1:submission_create", args=[token]),
            "genders": Gender.choices,
            "age_bands": AgeBand.choices,
            "profiles": Profile.choices,
            "labels": _labels(),
        },
    )


def _labels() -> dict:
    """What answer.js says, translated here (the page's language)."""
    return {
        "progress": _("Question {n} of {total}"),
        "sent": _("Thank you: your answers are recorded."),
        "replayed": _("Thank you: your answers were already recorded."),
        "queued": _("No connection: the answers are kept on this phone and sent when it is back."),
        "pending": _("Answers waiting to be sent: {n}"),
        "done": pgettext("knowledge check finished", "Done"),
        "refused": _("Not recorded"),
        "code_missing": _("Type the code, or answer without a code."),
        "demographics_missing": _("Choose an answer in each group."),
        "score": _("Score: {correct} / {total}"),
    }


@require_GET
def room_qr(request, token: str):
    assignment = _assignment(token)
    url = request.build_absolute_uri(reverse("assessments:answer", args=[assignment.room_token]))
    return HttpResponse(qr_png_bytes(url), content_type="image/png")


@require_GET
def media(request, kind: str, pk: int, field: str):
    if (kind, field) not in MEDIA:
        raise Http404
    model = Question if kind == "question" else Choice
    stored = getattr(get_object_or_404(model, pk=pk), field)
    if not stored:
        raise Http404
    response = FileResponse(stored.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _tables(results) -> list:
    """Each version with its tables by gender, age band and profile (label, figures) rows."""
    dimensions = [
        ("gender", _("Gender"), Gender.choices),
        ("age_band", _("Age"), AgeBand.choices),
        ("profile", _("Profile"), Profile.choices),
    ]
    return [
        (
            version,
            [
                (title, [(label, version.by[name][value]) for value, label in choices])
                for name, title, choices in dimensions
            ],
        )
        for version in results
    ]


@organizer_page
def results_event(request, event_id: int):
    """The event's checks and results; `?session=<id>` for one session's checks only."""
    event = get_object_or_404(
        scope_events(request.user, Event.objects.select_related("programme")), pk=event_id
    )
    session = None
    if request.GET.get("session", "").isdigit():
        session = get_object_or_404(event.sessions, pk=int(request.GET["session"]))
    return render(
        request,
        "assessments/results.html",
        {
            "heading": f"{event.display_title} — {session}" if session else event.display_title,
            "assignments": assignments_of_event(event),
            "sessions": event.sessions.all(),
            "event": event,
            "session": session,
            "versions": _tables(
                results_for_session(session) if session else results_for_event(event)
            ),
        },
    )


@organizer_page
def results_programme(request, programme_id: int):
    programme = get_object_or_404(
        scope_programmes(request.user, Programme.objects.all()), pk=programme_id
    )
    return render(
        request,
        "assessments/results.html",
        {"heading": programme.name, "versions": _tables(results_for_programme(programme))},
    )
