"""Proposals API. Participants (no account: their ticket or participant-card code is in the
body) read an open call, submit a proposal and endorse accepted ones; organizers moderate;
organizers and facilitators enter proposals at a table. Wrong codes are counted per address."""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import SessionAuth

from core.auth import staff_auth
from core.errors import ApplicationError, NotFound
from core.permissions import can_facilitate_event, can_manage_event, scope_events
from core.schemas import STAFF_ERRORS, error_responses
from events.models import Event

from . import selectors, services
from .guard import CODE_GUARD
from .models import CallForProposals, Proposal
from .schemas import (
    CallIn,
    CallOut,
    EndorsedOut,
    GroupProposalIn,
    ProposalAddresseesIn,
    ProposalEndorseIn,
    ProposalIn,
    ProposalMergeIn,
    ProposalOut,
    ProposalRejectIn,
    ProposalSubmittedOut,
    TableProposalIn,
)
from .services_addressing import proposal_address

router = Router(tags=["proposals"], auth=staff_auth)


class FacilitatorSessionAuth(SessionAuth):
    """A signed-in user; whether they facilitate this event is checked per event."""

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


facilitator_auth = FacilitatorSessionAuth()
PUBLIC_ERRORS = error_responses(400, 403, 404, 409, 429)


def _call(event_id: int) -> CallForProposals:
    call = (
        CallForProposals.objects.select_related("event__programme")
        .filter(event_id=event_id)
        .first()
    )
    if call is None:
        raise NotFound(_("This event has no call for proposals."), code="no_call")
    return call


def _staff_event(request, event_id: int, *, facilitate: bool = False) -> Event:
    event = scope_events(request.auth, Event.objects.select_related("programme")).filter(
        pk=event_id
    )
    event = event.first()
    if event is None and facilitate:
        event = Event.objects.select_related("programme").filter(pk=event_id).first()
        if event is not None and not can_facilitate_event(request.auth, event):
            event = None
    if event is None:
        raise NotFound(_("No such event."))
    return event


def _proposal(request, proposal_id: int) -> Proposal:
    proposal = selectors.proposal_get_for_staff(user=request.auth, proposal_id=proposal_id)
    if proposal is None or not can_manage_event(request.auth, proposal.call.event):
        raise NotFound(_("No such proposal."))
    return proposal


def _with_code(request, event_id: int, action):
    """Run `action` (which reads a code); a wrong code counts against the caller's address."""
    return CODE_GUARD.attempt(
        request, event_id, action, counted=("unknown_code", "code_other_event")
    )


@router.get("/events/{event_id}/call", response={200: CallOut, **PUBLIC_ERRORS}, auth=None)
def get_call(request, event_id: int):
    """The open call of an event: its themes and the accepted proposals (no personal data)."""
    call = _call(event_id)
    counts = selectors.endorsement_counts(call=call)
    accepted = [
        {
            "id": p.pk,
            "theme_id": p.theme_id,
            "title": p.title,
            "text": p.text,
            "language": p.language,
            "proposer_name": p.proposer_name,
            "endorsement_count": counts.get(p.pk, 0),
        }
        for p in selectors.proposals_accepted(call=call)
    ]
    return {
        "event_id": call.event_id,
        "is_open": call.is_open,
        "themes": list(call.themes.all()),
        "accepted": accepted,
    }


@router.post(
    "/events/{event_id}/proposals",
    response={201: ProposalSubmittedOut, **PUBLIC_ERRORS},
    auth=None,
)
def submit_proposal(request, event_id: int, payload: ProposalIn):
    """A participant's proposal with their ticket or participant-card code. It is shown once an
    organizer accepts it."""
    call = _call(event_id)
    proposal = _with_code(
        request,
        event_id,
        lambda: services.proposal_submit(
            call=call, theme=payload.theme_id, **payload.dict(exclude={"theme_id"})
        ),
    )
    return Status(
        201,
        {
            "id": proposal.pk,
            "status": proposal.status,
            "detail": _("Thank you! Your proposal will be shown once it is reviewed."),
        },
    )


@router.post(
    "/proposals/{proposal_id}/endorsements",
    response={201: EndorsedOut, **PUBLIC_ERRORS},
    auth=None,
)
def endorse_proposal(request, proposal_id: int, payload: ProposalEndorseIn):
    """Support an accepted proposal with one's code; once per person (409 the second time)."""
    proposal = Proposal.objects.filter(pk=proposal_id, status=Proposal.Status.ACCEPTED).first()
    if proposal is None:
        raise NotFound(_("No such proposal."))
    _endorsement, created = _with_code(
        request,
        proposal.call.event_id,
        lambda: services.proposal_endorse(proposal=proposal, code=payload.code),
    )
    if not created:
        raise ApplicationError(
            _("You already support this proposal."), code="already_endorsed", status=409
        )
    return Status(
        201,
        {
            "proposal_id": proposal.pk,
            "created": True,
            "endorsement_count": proposal.endorsements.count(),
        },
    )


# Staff ------------------------------------------------------------------------------------------


@router.put("/events/{event_id}/call", response={200: CallOut, **STAFF_ERRORS})
def put_call(request, event_id: int, payload: CallIn):
    """Open the event's call (adding the themes given) or close it."""
    event = _staff_event(request, event_id)
    if payload.is_open:
        services.call_open(
            event=event, user=request.auth, themes=[t.dict() for t in payload.themes]
        )
    else:
        services.call_close(call=_call(event_id), user=request.auth)
    return get_call(request, event_id)


@router.get("/events/{event_id}/proposals", response={200: list[ProposalOut], **STAFF_ERRORS})
def list_proposals(request, event_id: int, status: Proposal.Status | None = None):
    _staff_event(request, event_id)
    return list(selectors.proposal_list(call=_call(event_id), status=status))


@router.post(
    "/events/{event_id}/proposals/table",
    response={201: ProposalOut, **STAFF_ERRORS},
    auth=facilitator_auth,
)
def enter_table_proposal(request, event_id: int, payload: TableProposalIn):
    """A facilitator types a participant's proposal in, with the participant's code."""
    event = _staff_event(request, event_id, facilitate=True)
    call = _call(event.pk)
    proposal = services.proposal_submit(
        call=call,
        theme=payload.theme_id,
        entered_by=request.auth,
        **payload.dict(exclude={"theme_id"}),
    )
    return Status(201, proposal)


@router.post(
    "/events/{event_id}/proposals/group",
    response={201: ProposalOut, **STAFF_ERRORS},
    auth=facilitator_auth,
)
def enter_group_proposal(request, event_id: int, payload: GroupProposalIn):
    """A group's proposal with its number of people by gender and age band."""
    event = _staff_event(request, event_id, facilitate=True)
    proposal = services.proposal_group_enter(
        call=_call(event.pk),
        theme=payload.theme_id,
        title=payload.title,
        text=payload.text,
        language=payload.language,
        counts=[row.dict() for row in payload.counts],
        entered_by=request.auth,
    )
    return Status(201, proposal)


@router.post("/proposals/{proposal_id}/accept", response={200: ProposalOut, **STAFF_ERRORS})
def accept_proposal(request, proposal_id: int):
    return services.proposal_accept(proposal=_proposal(request, proposal_id), user=request.auth)


@router.post("/proposals/{proposal_id}/reject", response={200: ProposalOut, **STAFF_ERRORS})
def reject_proposal(request, proposal_id: int, payload: ProposalRejectIn):
    return services.proposal_reject(
        proposal=_proposal(request, proposal_id), reason=payload.reason, user=request.auth
    )


@router.post("/proposals/{proposal_id}/merge", response={200: ProposalOut, **STAFF_ERRORS})
def merge_proposal(request, proposal_id: int, payload: ProposalMergeIn):
    source = _proposal(request, proposal_id)
    target = _proposal(request, payload.into_id)
    return services.proposal_merge(proposal=source, into=target, user=request.auth)


@router.put("/proposals/{proposal_id}/addressees", response={200: ProposalOut, **STAFF_ERRORS})
def put_proposal_addressees(request, proposal_id: int, payload: ProposalAddresseesIn):
    """Ask these partner organisations of the event's network to answer an accepted proposal."""
    return proposal_address(
        proposal=_proposal(request, proposal_id),
        organization_ids=payload.organization_ids,
        user=request.auth,
    )
