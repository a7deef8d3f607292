"""Staff API for participants' privacy: erasure of one person on request. Parses and authorizes;
the rule (what is erased, for whom) lives in participants.services.retention."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from core.auth import staff_auth
from core.errors import ApplicationError
from core.permissions import is_administrator, organization_ids
from core.schemas import STAFF_ERRORS

from .models import Participant
from .services.retention import participant_erase

router = Router(tags=["participants"], auth=staff_auth)


class ParticipantErasedOut(Schema):
    id: int
    gender: str
    age_band: str
    personal_data_purged_at: str


@router.post(
    "/participants/{participant_id}/erase", response={200: ParticipantErasedOut, **STAFF_ERRORS}
)
def erase_participant(request, participant_id: int):
    """Erase the personal data of every registration naming this person (see
    `participant_erase` for households); demographics and figures stay."""
    participant = get_object_or_404(Participant, pk=participant_id)
    user = request.auth
    if not (is_administrator(user) or participant.organization_id in organization_ids(user)):
        # Another organisation's participant is not even confirmed to exist.
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    participant = participant_erase(participant=participant, actor=user)
    return {
        "id": participant.pk,
        "gender": participant.gender,
        "age_band": participant.age_band,
        "personal_data_purged_at": participant.personal_data_purged_at.isoformat(),
    }
