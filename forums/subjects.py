"""The kinds of subject an institution answers, and how the partner API reaches each: an adopted
recommendation of a forum, or an accepted participants' proposal the organizer put to the
organisation. Another kind is one more member of `SubjectKind` and one more line in each table
and each test of the kind below; the routes, schemas and tests that go through `subject_of`,
`subject_fields`, `partner_row` and `partner_subject_response` stay as they are."""

from django.db import models

from core.models import Organization

from . import selectors_followup as reads
from .models import Recommendation, Response


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


def subject_kind(subject) -> SubjectKind:
    return (
        SubjectKind.RECOMMENDATION if isinstance(subject, Recommendation) else SubjectKind.PROPOSAL
    )


def _event_holder(subject):
    """The row that names the subject's event: a recommendation itself, a proposal its call."""
    return subject if isinstance(subject, Recommendation) else subject.call


def subject_fields(subject) -> dict:
    """How the API names a subject in every list: its kind, its id and its event's id."""
    return {
        "subject_kind": subject_kind(subject),
        "subject_id": subject.pk,
        "event_id": _event_holder(subject).event_id,
    }


def partner_row(subject, language: str) -> dict:
    """A subject addressed to the partner's organisation, in the contact's language, with the
    organisation's own response (prefetched as `own_responses`). A proposal is shown in the
    words its participant wrote (it has no translations)."""
    event = _event_holder(subject).event
    if subject_kind(subject) == SubjectKind.RECOMMENDATION:
        text = subject.text_in(language) or subject.text
    else:
        text = subject.text
    return {
        **subject_fields(subject),
        "event_title": getattr(event, f"title_{language}", "") or event.title,
        "theme": getattr(subject.theme, f"name_{language}", "") or subject.theme.name_fr,
        "text": text,
        "response": subject.own_responses[0] if subject.own_responses else None,
    }


def partner_addressed(*, organization: Organization) -> list:
    """What the organisation is asked to answer: the recommendations, then the proposals."""
    return [
        *reads.partner_addressed_recommendations(organization=organization),
        *reads.partner_addressed_proposals(organization=organization),
    ]
