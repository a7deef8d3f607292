"""Public pages (event list, registration form, confirmation, ticket with its QR) and the
organizers' badge PDF. Views parse and render; services decide."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import ApplicationError
from core.i18n import switched_language
from core.permissions import can_manage_event
from core.qr import qr_png_bytes, qr_svg
from core.responses import private
from core.services import audit_record

from .forms import MemberFormSet, RegistrationForm
from .models import Event, Registration, Ticket
from .registration_limits import (
    registration_attempt_count,
    registration_wait_message,
    registration_wait_seconds,
)
from .selectors.events import published_event_list
from .selectors.registrations import (
    MAX_ID,
    public_event_get,
    registration_get_by_token,
    registration_tickets,
    ticket_get_by_secret,
    ticket_list_for_badges,
    ticket_sessions,
)
from .services.registrations import registration_create, registration_window_check


def public_event_list(request):
    return render(request, "events/public_list.html", {"events": published_event_list()})


def _registration_closed_reason(event: Event) -> str:
    try:
        registration_window_check(event=event)
    except ApplicationError as exc:
        return str(exc)
    return ""


def event_register(request, event_id: int):
    event = public_event_get(event_id=event_id)
    if event is None:
        raise Http404
    closed_reason = _registration_closed_reason(event)
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    status, show_errors, wait_seconds = 200, True, 0
    if request.method == "POST" and not closed_reason:
        data = request.POST.copy()
        total = data.get("members-TOTAL_FORMS", "")
        if not (total.isascii() and total.isdigit() and len(total) <= 3):
            # A form sent without member rows (old page, script) registers the contact alone.
            data["members-TOTAL_FORMS"] = data["members-INITIAL_FORMS"] = "0"
        form = RegistrationForm(data, event=event, prefix="contact")
        members = MemberFormSet(
            data, prefix="members", form_kwargs={"ask_nationality": event.ask_nationality}
        )
        if "add_member" in data:
            # No JavaScript needed: this button re-displays the form with one more member row,
            # keeping what was typed and without complaining about fields not filled in yet.
            # It writes nothing, so a big family is not mistaken for a robot either.
            total = int(data["members-TOTAL_FORMS"])
            data["members-TOTAL_FORMS"] = str(min(total + 1, MemberFormSet.max_num))
            show_errors = False
        elif wait_seconds := registration_wait_seconds(request):
            # The same bound form comes back: nothing typed is lost while the person waits.
            show_errors, status = False, 429
        else:
            result = _register_submitted(request, event, form, members)
            registration_attempt_count(request, accepted=isinstance(result, HttpResponse))
            if isinstance(result, HttpResponse):
                return result
            status = 400
    else:
        if request.method == "POST":
            status = 409
        form = RegistrationForm(event=event, prefix="contact", initial={"language": language})
        members = MemberFormSet(
            prefix="members", form_kwargs={"ask_nationality": event.ask_nationality}
        )
    context = {
        "event": event,
        "form": form,
        "members": members,
        "closed_reason": closed_reason,
        "show_errors": show_errors,
        "wait_message": registration_wait_message(wait_seconds) if wait_seconds else "",
    }
    response = render(request, "events/register.html", context, status=status)
    if wait_seconds:
        response["Retry-After"] = str(wait_seconds)
    return response


def _register_submitted(request, event, form, members):
    """The redirect to the new registration, or None with the errors put on the form."""
    if form.is_bot:
        form.add_error(None, _("Your registration could not be accepted. Please try again."))
        return None
    if form.is_valid() and members.is_valid():
        return _register(request, event, form, members)
    return None


def _register(request, event, form, members):
    """Call the service; on a domain error, put its messages on the form and return None."""
    data = form.cleaned_data
    people = [member.person() for member in members.forms if member.has_changed()]
    try:
        registration = registration_create(
            event=event,
            contact=form.person(),
            members=people,
            kind=data["kind"] if people else Registration.Kind.INDIVIDUAL,
            phone=data["phone"],
            email=data["email"],
            language=data["language"],
            consent_register=data["consent_register"],
            consent_contact=data["consent_contact"],
            preferred_channel=data.get("preferred_channel", ""),
            whatsapp_opt_in=data.get("whatsapp_opt_in", False),
            source=Registration.Source.WEB,
            sessions=form.chosen_sessions(),
        )
    except ApplicationError as exc:
        for field, messages in exc.field_errors.items():
            name = field.removeprefix("contact.")
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
        if not exc.field_errors:
            form.add_error(None, str(exc))
        return None
    return redirect(registration)


def _participant_language(request, language: str):
    """The participant's own language unless they picked one with the switcher."""
    return translation.override(switched_language(request) or language)


@never_cache
def registration_page(request, token: str):
    registration = registration_get_by_token(token=token)
    if registration is None:
        raise Http404
    tickets = list(registration_tickets(registration=registration))
    with _participant_language(request, registration.language):
        response = render(
            request,
            "events/registration.html",
            {
                "registration": registration,
                "event": registration.event,
                "tickets": tickets,
                "valid_tickets": [t for t in tickets if t.status == Ticket.Status.VALID],
                "waitlisted": any(t.status == Ticket.Status.WAITLISTED for t in tickets),
                "page_url": request.build_absolute_uri(registration.get_absolute_url()),
            },
        )
    return private(response)


@never_cache
def ticket_page(request, secret: str):
    ticket = ticket_get_by_secret(secret=secret)
    if ticket is None:
        raise Http404
    with _participant_language(request, ticket.attendee.registration.language):
        response = render(
            request,
            "events/ticket.html",
            {"ticket": ticket, "event": ticket.event, "sessions": ticket_sessions(ticket=ticket)},
        )
    return private(response)


def _valid_ticket(secret: str) -> Ticket:
    ticket = Ticket.objects.filter(secret=secret, status=Ticket.Status.VALID).first()
    if ticket is None:
        raise Http404
    return ticket


def ticket_qr_png(request, secret: str):
    ticket = _valid_ticket(secret)
    return private(HttpResponse(qr_png_bytes(ticket.secret), content_type="image/png"))


def ticket_qr_svg(request, secret: str):
    ticket = _valid_ticket(secret)
    return private(HttpResponse(qr_svg(ticket.secret), content_type="image/svg+xml"))


@login_required
def event_badges(request, event_id: int):
    """Badges of every valid ticket of the event, or of one registration (`?registration=id`)."""
    if event_id >= MAX_ID:
        raise Http404
    event = get_object_or_404(Event.objects.select_related("programme"), pk=event_id)
    if not can_manage_event(request.user, event):
        raise PermissionDenied
    registration = None
    if request.GET.get("registration"):
        if not request.GET["registration"].isdigit() or int(request.GET["registration"]) >= MAX_ID:
            raise Http404
        registration = get_object_or_404(Registration, pk=request.GET["registration"], event=event)
    # reportlab loads with the first PDF, not in every process at start (README, "Small server").
    from .badges import badges_pdf

    pdf = badges_pdf(ticket_list_for_badges(event=event, registration=registration))
    audit_record(
        actor=request.user,
        action="badges_exported",
        target=event,
        detail={"registration": registration.pk if registration else None},
    )
    filename = f"badges-event-{event.pk}" + (f"-group-{registration.pk}" if registration else "")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return private(response)
