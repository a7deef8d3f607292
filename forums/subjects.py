"""The kinds of subject an institution answers, and how the partner API reaches each: an adopted
recommendation of a forum, or an accepted participants' proposal the organizer put to the
organisation. Another kind is one more member of `SubjectKind` and one more line in each table
below; the routes, schemas and tests that go through `subject_of` and `partner_subject_response`
stay as they are."""

from django.db import models

from core.models import Organization

from . import selectors_followup as reads
from .models import Response


class SubjectKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "recommendation"
    PROPOSAL = "proposal", "proposal"


# The keyword each kind's id goes by in forums.services_responses.
SERVICE_ARGUMENT = {
    SubjectKind.RECOMMENDATION: "recommendation_id",
    SubjectKind.PROPOSAL: "proposal_id",
}


def subject_argument(kind: str, subject_id: int) -> dict:
    return {SERVICE_ARGUMENT[SubjectKind(kind)]: subject_id}


def subject_of(response: Response) -> tuple[str, int]:
    """(kind, id) of the response's subject, read from the link ids (no query)."""
    for kind in SubjectKind:
        subject_id = getattr(response, f"{kind.value}_id", None)
        if subject_id is not None:
            return kind.value, subject_id
    raise ValueError(f"response {response.pk} has no subject")


def partner_subject_get(*, organization: Organization, kind: str, subject_id: int):
    """The subject if it is addressed to this organisation (and put to it), else None."""
    if SubjectKind(kind) == SubjectKind.PROPOSAL:
        return reads.partner_proposal_get(organization=organization, proposal_id=subject_id)
    return reads.partner_recommendation_get(organization=organization, recommendation_id=subject_id)


def partner_subject_response(*, organization: Organization, kind: str, subject_id: int):
    """(subject, the organisation's response with its commitments and updates, or None);
    (None, None) when the subject is not addressed to the organisation."""
    subject = partner_subject_get(organization=organization, kind=kind, subject_id=subject_id)
    if subject is None:
        return None, None
    return subject, reads.partner_response(
        organization=organization, **{SubjectKind(kind).value: subject}
    )
