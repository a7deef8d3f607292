"""Writes for the institutions' answers, from the partner portal (and the API, admin or tests
alike): a position on a recommendation addressed to the contact's organisation, commitments,
and their updates with an optional document. Each function checks that the subject is addressed
to the contact's organisation; nothing else decides that."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _not_addressed() -> ApplicationError:
    return ApplicationError(
        _("This recommendation is not addressed to your organisation."),
        code="not_addressed",
        status=404,
    )


def response_submit(
    *, contact: Contact, recommendation_id: int, position: str, reasons: str = "", now=None
) -> Response:
    """The organisation's position on a recommendation addressed to it; a second answer
    replaces the first (one row per recommendation and organisation, under a row lock)."""
    organization = contact.organization
    recommendation = reads.partner_recommendation_get(
        organization=organization, recommendation_id=recommendation_id
    )
    if recommendation is None:
        raise _not_addressed()
    reasons = (reasons or "").strip()
    if position not in Position.values:
        raise ApplicationError(
            _("Choose a position."),
            code="position",
            field_errors={"position": [_("Choose a position.")]},
        )
    if position == Position.DECLINED and not reasons:
        message = _("Say why the recommendation is declined.")
        raise ApplicationError(message, code="reasons", field_errors={"reasons": [message]})
    now = now or timezone.now()
    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(
            recommendation=recommendation,
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
    *, contact: Contact, recommendation_id: int, what: str, by_whom: str, due_on, now=None
) -> Commitment:
    """A commitment under the organisation's answer; a declined recommendation has none."""
    response = Response.objects.filter(
        recommendation_id=recommendation_id, organization=contact.organization
    ).first()
    if (
        response is None
        or reads.partner_recommendation_get(
            organization=contact.organization, recommendation_id=recommendation_id
        )
        is None
    ):
        raise ApplicationError(
            _("Give your position on the recommendation before adding a commitment."),
            code="no_response",
            status=409,
        )
    if response.position == Position.DECLINED:
        raise ApplicationError(
            _("A declined recommendation has no commitment."), code="declined", status=409
        )
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
