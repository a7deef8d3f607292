"""Writes for the institutions' answers, from the partner portal (and the API, admin or tests
alike): a position on a subject addressed to the contact's organisation (an adopted
recommendation, or an accepted participants' proposal: name it by `recommendation_id` or by
`proposal_id`), commitments, and their updates with an optional document. Each function checks
that the subject is addressed to the contact's organisation; nothing else decides that."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from core.models import Contact
from core.services import audit_record

from . import selectors_followup as reads
from .models import Commitment, CommitmentState, CommitmentUpdate, Position, Response

# What a document may be, told by its first bytes (the name and the browser's type are only
# claims): PDF, JPEG, PNG.
DOCUMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
NOTE_MAX = 500


# Messages that name the kind of subject the partner is answering.
MESSAGES = {
    "recommendation": {
        "not_addressed": gettext_lazy("This recommendation is not addressed to your organisation."),
        "reasons": gettext_lazy("Say why the recommendation is declined."),
        "no_response": gettext_lazy(
            "Give your position on the recommendation before adding a commitment."
        ),
        "declined": gettext_lazy("A declined recommendation has no commitment."),
    },
    "proposal": {
        "not_addressed": gettext_lazy("This proposal is not addressed to your organisation."),
        "reasons": gettext_lazy("Say why the proposal is declined."),
        "no_response": gettext_lazy(
            "Give your position on the proposal before adding a commitment."
        ),
        "declined": gettext_lazy("A declined proposal has no commitment."),
    },
}


def _not_addressed(kind: str = "recommendation") -> ApplicationError:
    return ApplicationError(str(MESSAGES[kind]["not_addressed"]), code="not_addressed", status=404)


def _subject(contact: Contact, recommendation_id, proposal_id) -> tuple[str, dict]:
    """The subject addressed to the contact's organisation, as (kind, Response lookup)."""
    if (recommendation_id is None) == (proposal_id is None):
        raise ValueError("Name a recommendation or a proposal.")
    organization = contact.organization
    if proposal_id is not None:
        proposal = reads.partner_proposal_get(organization=organization, proposal_id=proposal_id)
        if proposal is None:
            raise _not_addressed("proposal")
        return "proposal", {"proposal": proposal}
    recommendation = reads.partner_recommendation_get(
        organization=organization, recommendation_id=recommendation_id
    )
    if recommendation is None:
        raise _not_addressed()
    return "recommendation", {"recommendation": recommendation}


def response_submit(
    *,
    contact: Contact,
    recommendation_id: int | None = None,
    proposal_id: int | None = None,
    position: str,
    reasons: str = "",
    now=None,
) -> Response:
    """The organisation's position on a subject addressed to it; a second answer replaces the
    first (one row per subject and organisation, under a row lock)."""
    organization = contact.organization
    kind, subject = _subject(contact, recommendation_id, proposal_id)
    reasons = (reasons or "").strip()
    if position not in Position.values:
        raise ApplicationError(
            _("Choose a position."),
            code="position",
            field_errors={"position": [_("Choose a position.")]},
        )
    if position == Position.DECLINED and not reasons:
        message = str(MESSAGES[kind]["reasons"])
        raise ApplicationError(message, code="reasons", field_errors={"reasons": [message]})
    now = now or timezone.now()
    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(
            **subject,
            organization=organization,
            defaults={
                "position": position,
                "reasons": reasons,
                "answered_by": contact,
                "answered_at": now,
            },
        )
        if not created:
            response.position, response.reasons = position, reasons
            response.answered_by, response.answered_at = contact, now
            response.save(update_fields=["position", "reasons", "answered_by", "answered_at"])
        audit_record(
            actor=None,
            action="forums.response_submitted",
            target=response,
            detail={"contact": contact.pk, "position": position},
        )
    return response


def commitment_add(
    *,
    contact: Contact,
    recommendation_id: int | None = None,
    proposal_id: int | None = None,
    what: str,
    by_whom: str,
    due_on,
    now=None,
) -> Commitment:
    """A commitment under the organisation's answer; a declined subject has none."""
    kind = "proposal" if proposal_id is not None else "recommendation"
    try:
        _kind, subject = _subject(contact, recommendation_id, proposal_id)
    except ApplicationError:
        subject = None
    response = (
        Response.objects.filter(**subject, organization=contact.organization).first()
        if subject
        else None
    )
    if response is None:
        raise ApplicationError(str(MESSAGES[kind]["no_response"]), code="no_response", status=409)
    if response.position == Position.DECLINED:
        raise ApplicationError(str(MESSAGES[kind]["declined"]), code="declined", status=409)
    errors = {}
    what, by_whom = (what or "").strip(), (by_whom or "").strip()
    if not what:
        errors["what"] = [_("Say what will be done.")]
    if not by_whom:
        errors["by_whom"] = [_("Say who will do it.")]
    if not isinstance(due_on, datetime.date):
        errors["due_on"] = [_("Give the date by which it will be done.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], field_errors=errors)
    now = now or timezone.now()
    return Commitment.objects.create(
        response=response, what=what, by_whom=by_whom, due_on=due_on, last_activity_at=now
    )


def _document_checked(upload) -> tuple[str, str, bytes]:
    limit = settings.FORUMS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        message = _("The document is too large (at most %(mb)s MB).") % {"mb": limit // 2**20}
        raise ApplicationError(message, code="document_size", field_errors={"document": [message]})
    content = upload.read(limit + 1)
    mimetype = next(
        (kind for magic, kind in DOCUMENT_SIGNATURES.items() if content.startswith(magic)), None
    )
    if mimetype is None or len(content) > limit:
        message = _("Attach a PDF, JPEG or PNG document.")
        raise ApplicationError(message, code="document_type", field_errors={"document": [message]})
    name = "".join(ch for ch in (upload.name or "document") if ch.isalnum() or ch in "._- ")
    return (name.strip()[:120] or "document"), mimetype, content


def commitment_update_add(
    *, contact: Contact, commitment_id: int, state: str, note: str = "", document=None, now=None
) -> CommitmentUpdate:
    """A step of a commitment of the contact's organisation. A done commitment is closed."""
    if state not in (CommitmentState.IN_PROGRESS, CommitmentState.DONE):
        message = _("Choose in progress or done.")
        raise ApplicationError(message, code="state", field_errors={"state": [message]})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        message = _("Keep the note short (at most %(n)s characters).") % {"n": NOTE_MAX}
        raise ApplicationError(message, code="note", field_errors={"note": [message]})
    name, mimetype, content = ("", "", None) if document is None else _document_checked(document)
    now = now or timezone.now()
    with transaction.atomic():
        commitment = reads.partner_commitment_get(
            organization=contact.organization, commitment_id=commitment_id
        )
        if commitment is None:
            raise _not_addressed()
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.state == CommitmentState.DONE:
            raise ApplicationError(
                _("This commitment is already done."), code="commitment_done", status=409
            )
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            state=state,
            note=note,
            document_name=name,
            document_type=mimetype,
            document=content,
            created_by=contact,
            created_at=now,
        )
        commitment.state, commitment.last_activity_at = state, now
        commitment.save(update_fields=["state", "last_activity_at"])
    return update
