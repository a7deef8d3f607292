"""Pages: the participant's phone (type one's code, propose, support accepted proposals), the
facilitated table (a facilitator types in for a participant, or enters a group's proposal) and
the organizer's moderation page. Views parse and authorize; the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.code_entry import CodeEntry
from core.demographics import Gender
from core.errors import ApplicationError
from core.forms import chosen, form_service_call, posted_action_call
from core.permissions import can_facilitate_event
from events.access import managed_event
from events.models import EventStatus

from . import selectors, services
from .codes import person_from_code
from .forms import (
    CodeForm,
    GroupProposalForm,
    MergeForm,
    ProposalForm,
    RejectForm,
    TableProposalForm,
    ThemeForm,
)
from .guard import CODE_GUARD
from .models import CallForProposals, Proposal
from .services_addressing import proposal_address


def _call_or_404(event_id: int) -> CallForProposals:
    return get_object_or_404(
        CallForProposals.objects.select_related("event__programme").prefetch_related("themes"),
        event_id=event_id,
    )


PERSON_CODE = CodeEntry(CODE_GUARD, "proposals.code")


def _session_person(request, call: CallForProposals):
    """The person whose code was typed on this phone (kept in the session, never in the URL);
    None once the code stops naming someone (a cancelled ticket, a revoked card)."""
    code = PERSON_CODE.remembered(request, call.event_id)
    if not code:
        return None, None
    try:
        return code, person_from_code(event=call.event, code=code)
    except ApplicationError:
        PERSON_CODE.forget(request, call.event_id)
        return None, None


def _code_entered(request, call: CallForProposals, form: CodeForm) -> bool:
    def find(code: str) -> str:
        person_from_code(event=call.event, code=code)
        return code.strip()

    return PERSON_CODE.enter(request, call.event_id, form, find)


def _endorse(request, call: CallForProposals, code: str) -> None:
    proposal = Proposal.objects.filter(
        pk=request.POST.get("proposal") or 0, call=call, status=Proposal.Status.ACCEPTED
    ).first()
    if proposal is None:
        messages.error(request, _("This proposal does not exist."))
        return
    try:
        _endorsement, created = services.proposal_endorse(proposal=proposal, code=code)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Thank you, your support is counted.")
            if created
            else _("You already support this proposal."),
        )


def participant_page(request, event_id: int):
    """The participant's phone: the code once, then a proposal form and the accepted proposals
    to support."""
    call = _call_or_404(event_id)
    code, person = _session_person(request, call)
    action = request.POST.get("action") if request.method == "POST" else None
    code_form = CodeForm(request.POST if action == "code" else None)
    form = ProposalForm(
        request.POST if action == "propose" else None,
        request.FILES if action == "propose" else None,
        call=call,
        initial={"language": (request.LANGUAGE_CODE or "fr")[:2]},
    )
    if action == "code" and code_form.is_valid() and _code_entered(request, call, code_form):
        return redirect("proposals:participate", event_id=call.event_id)
    if (
        action == "propose"
        and person is not None
        and form.is_valid()
        and form_service_call(
            request,
            form,
            lambda: services.proposal_submit(call=call, code=code, **form.cleaned_data),
            success=_("Thank you! Your proposal will be shown once it is reviewed."),
        )
    ):
        return redirect("proposals:participate", event_id=call.event_id)
    if action == "endorse" and person is not None:
        _endorse(request, call, code)
        return redirect("proposals:participate", event_id=call.event_id)
    if action == "forget":
        PERSON_CODE.forget(request, call.event_id)
        return redirect("proposals:participate", event_id=call.event_id)
    accepted, endorsed = [], set()
    if person is not None:
        accepted = list(selectors.proposals_accepted(call=call))
        endorsed = selectors.endorsed_by(person=person, call=call)
    return render(
        request,
        "proposals/participate.html",
        {
            "call": call,
            "event": call.event,
            "person": person,
            "code_form": code_form,
            "form": form,
            "accepted": accepted,
            "endorsed": endorsed,
            "is_open": call.is_open and call.event.status == EventStatus.PUBLISHED,
        },
    )


def _facilitated_call(request, event_id: int) -> CallForProposals:
    call = _call_or_404(event_id)
    if not can_facilitate_event(request.user, call.event):
        raise Http404
    return call


@login_required
def table_page(request, event_id: int):
    """The facilitated table: a participant's proposal typed in with their code, or a group's
    proposal with its number of people by gender and age band."""
    call = _facilitated_call(request, event_id)
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {"language": (request.LANGUAGE_CODE or "fr")[:2]}
    form = TableProposalForm(
        request.POST if action == "person" else None,
        request.FILES if action == "person" else None,
        call=call,
        initial=initial,
    )
    group_form = GroupProposalForm(
        request.POST if action == "group" else None, call=call, initial=initial
    )
    if (
        action == "person"
        and form.is_valid()
        and form_service_call(
            request,
            form,
            lambda: services.proposal_submit(
                call=call, entered_by=request.user, **form.cleaned_data
            ),
            success=_("Proposal saved. Thank you!"),
        )
    ):
        return redirect("proposals:table", event_id=call.event_id)
    if action == "group" and group_form.is_valid():
        data = group_form.cleaned_data
        if form_service_call(
            request,
            group_form,
            lambda: services.proposal_group_enter(
                call=call,
                theme=data["theme"],
                title=data["title"],
                text=data["text"],
                language=data["language"],
                counts=group_form.counts(),
                entered_by=request.user,
            ),
            success=_("The group's proposal is saved. Thank you!"),
        ):
            return redirect("proposals:table", event_id=call.event_id)
    return render(
        request,
        "proposals/table.html",
        {
            "call": call,
            "event": call.event,
            "form": form,
            "group_form": group_form,
            "genders": [gender.label for gender in Gender],
        },
    )


@login_required
def manage_page(request, event_id: int):
    """The organizer's page: open or close the call, add themes, moderate the proposals."""
    event = managed_event(request, event_id)
    call = selectors.call_of_event(event)
    theme_form = ThemeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "close" and call is not None:
                services.call_close(call=call, user=request.user)
            elif action == "open":
                themes = [theme_form.cleaned_data] if theme_form.is_valid() else []
                services.call_open(event=event, user=request.user, themes=themes)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("proposals:manage", event_id=event.pk)
    proposals = []
    if call is not None:
        counts = selectors.endorsement_counts(call=call)
        listed = (
            selectors.proposal_list(call=call)
            .select_related("merged_into")
            .prefetch_related("addressees__organization")
        )
        for proposal in listed:
            proposal.endorsement_count = counts.get(proposal.pk, 0)
            proposal.merge_form = MergeForm(proposal=proposal, prefix=f"m{proposal.pk}")
            proposal.addressed = [a.organization for a in proposal.addressees.all()]
            proposal.addressed_ids = {org.pk for org in proposal.addressed}
            proposals.append(proposal)
    return render(
        request,
        "proposals/manage.html",
        {
            "event": event,
            "call": call,
            "proposals": proposals,
            "theme_form": ThemeForm(),
            "reject_form": RejectForm(),
            # The partners an accepted proposal may be put to (the addressing form's choices).
            "network": list(selectors.proposal_network(event=event)) if proposals else [],
        },
    )


def _posted_ids(values: list[str]) -> list[int]:
    if not all(value.isascii() and value.isdigit() and len(value) < 19 for value in values):
        raise ApplicationError(_("Choose organisations of the list."))
    return [int(value) for value in values]


@login_required
@require_POST
def proposal_action(request, event_id: int, proposal_id: int, action: str):
    event = managed_event(request, event_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, call__event=event)
    user = request.user

    def reject():
        reason = request.POST.get("reason", "")
        services.proposal_reject(proposal=proposal, reason=reason, user=user)

    def address():
        organization_ids = _posted_ids(request.POST.getlist("addressed_to"))
        proposal_address(proposal=proposal, organization_ids=organization_ids, user=user)

    def merge():
        form = MergeForm(request.POST, proposal=proposal, prefix=f"m{proposal.pk}")
        into = chosen(form, "into", _("Choose the proposal to merge into."))
        services.proposal_merge(proposal=proposal, into=into, user=user)

    done = _("Done.")
    posted_action_call(
        request,
        action,
        {
            "accept": (lambda: services.proposal_accept(proposal=proposal, user=user), done),
            "reject": (reject, done),
            "address": (address, done),
            "merge": (merge, done),
        },
    )
    return redirect("proposals:manage", event_id=event.pk)


@login_required
def proposal_photo(request, event_id: int, proposal_id: int):
    """A proposal's photo, for the organizers who moderate it."""
    event = managed_event(request, event_id)
    proposal = get_object_or_404(Proposal, pk=proposal_id, call__event=event)
    if not proposal.photo:
        raise Http404
    response = FileResponse(proposal.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    return response
