"""The institutions' answers in the API. Partners (a signed link's token in X-Partner-Token,
or their session) list what is addressed to their organisation and give their position,
commitments and commitment updates; every write is forums.services_responses', which checks
that the subject is addressed to the contact's organisation (another's is a 404). Organizers
read the follow-up of a forum and of a programme, and the overdue list, from
forums.selectors_followup: the data the follow-up pages show.

A commitment update's document goes through the portal's page (a multipart form, its first
bytes checked); the API records the state and the note."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status

from core.auth import staff_auth
from core.errors import NotFound
from core.permissions import can_manage_event, can_manage_programme
from core.schemas import STAFF_ERRORS, error_responses
from events.models import Programme

from . import selectors
from . import selectors_followup as reads
from .api_auth import PARTNER_AUTH
from .schemas_responses import (
    AddressedOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentUpdateIn,
    CommitmentUpdateOut,
    FollowupOut,
    OverdueOut,
    ResponseIn,
    ResponseOut,
)
from .services_responses import commitment_add, commitment_update_add, response_submit
from .subjects import (
    SubjectKind,
    partner_addressed,
    partner_row,
    partner_subject_response,
    subject_argument,
    subject_fields,
)

responses_router = Router(tags=["forums"])

PARTNER_ERRORS = error_responses(400, 401, 404, 409)


def _not_addressed() -> NotFound:
    return NotFound(_("This is not addressed to your organisation."))


@responses_router.get("/partner/addressed", response=list[AddressedOut], auth=PARTNER_AUTH)
def list_addressed(request):
    """What the contact's organisation is asked to answer, newest forum first."""
    contact = request.auth
    return [
        partner_row(subject, contact.preferred_language)
        for subject in partner_addressed(organization=contact.organization)
    ]


@responses_router.get(
    "/partner/addressed/{kind}/{subject_id}/response",
    response={200: ResponseOut, **PARTNER_ERRORS},
    auth=PARTNER_AUTH,
)
def get_response(request, kind: SubjectKind, subject_id: int):
    subject, response = partner_subject_response(
        organization=request.auth.organization, kind=kind, subject_id=subject_id
    )
    if subject is None:
        raise _not_addressed()
    if response is None:
        raise NotFound(_("Your organisation has not answered yet."), code="no_response")
    return response


@responses_router.put(
    "/partner/addressed/{kind}/{subject_id}/response",
    response={200: ResponseOut, **PARTNER_ERRORS},
    auth=PARTNER_AUTH,
)
def put_response(request, kind: SubjectKind, subject_id: int, payload: ResponseIn):
    """The organisation's position (a later one replaces it); declining needs reasons."""
    response_submit(
        contact=request.auth,
        position=payload.position,
        reasons=payload.reasons,
        **subject_argument(kind, subject_id),
    )
    return get_response(request, kind, subject_id)


@responses_router.post(
    "/partner/addressed/{kind}/{subject_id}/commitments",
    response={201: CommitmentOut, **PARTNER_ERRORS},
    auth=PARTNER_AUTH,
)
def add_commitment(request, kind: SubjectKind, subject_id: int, payload: CommitmentIn):
    commitment = commitment_add(
        contact=request.auth,
        what=payload.what,
        by_whom=payload.by_whom,
        due_on=payload.due_on,
        **subject_argument(kind, subject_id),
    )
    return Status(201, commitment)


@responses_router.post(
    "/partner/commitments/{commitment_id}/updates",
    response={201: CommitmentUpdateOut, **PARTNER_ERRORS},
    auth=PARTNER_AUTH,
)
def add_commitment_update(request, commitment_id: int, payload: CommitmentUpdateIn):
    update = commitment_update_add(
        contact=request.auth, commitment_id=commitment_id, state=payload.state, note=payload.note
    )
    return Status(201, update)


def _managed_forum(request, event_id: int):
    event = selectors.forum_get_for_staff(user=request.auth, event_id=event_id)
    if event is None or not can_manage_event(request.auth, event):
        raise NotFound(_("No such forum."))
    return event


def _programme_scope(request, programme_id: int) -> tuple[QuerySet, QuerySet]:
    """(the programme's forums, all its events) for a staff member who manages it."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not can_manage_programme(request.auth, programme):
        raise NotFound(_("No such programme."))
    return reads.programme_forums(programme=programme), reads.programme_events(programme=programme)


def _followup_rows(*, forums, events) -> list:
    """The forums' recommendations put to partners, then the events' proposals put to them."""
    return reads.followup_rows(events=forums) + reads.proposal_followup_rows(events=events)


def _overdue_out(rows) -> dict:
    overdue = reads.overdue_items(rows)

    def subject(row, organization) -> dict:
        return {
            **subject_fields(row.subject),
            "organization_id": organization.pk,
            "organization": organization.name,
        }

    return {
        "answers": [subject(row, org) for row, org in overdue["answers"]],
        "commitments": [
            {
                **subject(row, org),
                "commitment_id": commitment.pk,
                "what": commitment.what,
                "due_on": commitment.due_on,
                "state": commitment.state,
            }
            for row, org, commitment in overdue["commitments"]
        ],
    }


def _followup_out(rows, *, forums, events) -> dict:
    return {
        "rows": [
            {
                **subject_fields(row.subject),
                "theme": row.subject.theme.name_fr,
                "text": row.subject.text,
                "addressees": [
                    {
                        "organization_id": addressee.organization.pk,
                        "organization": addressee.organization.name,
                        "organization_kind": addressee.organization.kind,
                        "overdue": addressee.overdue,
                        "response": addressee.response,
                        "commitments": addressee.commitments,
                    }
                    for addressee in row.addressees
                ],
            }
            for row in rows
        ],
        "overdue": _overdue_out(rows),
        "rates": reads.response_rates_by_kind(events=forums, proposal_events=events),
    }


@responses_router.get(
    "/forums/{event_id}/followup", response={200: FollowupOut, **STAFF_ERRORS}, auth=staff_auth
)
def forum_followup(request, event_id: int):
    events = [_managed_forum(request, event_id)]
    rows = _followup_rows(forums=events, events=events)
    return _followup_out(rows, forums=events, events=events)


@responses_router.get(
    "/forums/{event_id}/followup/overdue",
    response={200: OverdueOut, **STAFF_ERRORS},
    auth=staff_auth,
)
def forum_overdue(request, event_id: int):
    events = [_managed_forum(request, event_id)]
    return _overdue_out(_followup_rows(forums=events, events=events))


@responses_router.get(
    "/forums/programmes/{programme_id}/followup",
    response={200: FollowupOut, **STAFF_ERRORS},
    auth=staff_auth,
)
def programme_followup(request, programme_id: int):
    forums, events = _programme_scope(request, programme_id)
    rows = _followup_rows(forums=forums, events=events)
    return _followup_out(rows, forums=forums, events=events)


@responses_router.get(
    "/forums/programmes/{programme_id}/followup/overdue",
    response={200: OverdueOut, **STAFF_ERRORS},
    auth=staff_auth,
)
def programme_overdue(request, programme_id: int):
    forums, events = _programme_scope(request, programme_id)
    return _overdue_out(_followup_rows(forums=forums, events=events))
