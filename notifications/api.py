"""Inbound webhook of the SMS provider: replies such as STOP. Authenticated by a shared bearer token."""

import hmac
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from core.auth import staff_auth
from core.errors import NotFound
from core.schemas import ErrorOut
from participants.selectors_cards import card_of_managed

from . import services
from .api_webhooks import router as webhooks_router
from .schemas import SmsInboundIn, SmsInboundOut
from .services.cards import participant_card_send


class ProviderToken(HttpBearer):
    def authenticate(self, request, token):
        expected = settings.SMS_INBOUND_TOKEN
        # No token configured means the webhook is closed, not open.
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return "sms-provider"
        return None


router = Router(tags=["notifications"])
router.add_router("", webhooks_router)


@router.post("/notifications/sms/inbound", response=SmsInboundOut, auth=ProviderToken())
def sms_inbound(request, payload: SmsInboundIn):
    return {"stopped": services.sms_inbound_handle(sender=payload.sender, text=payload.text)}


class CardSendIn(Schema):
    channel: Literal["sms", "email"]


class CardSendOut(Schema):
    message_id: int
    channel: str
    status: str


@router.post(
    "/participants/{participant_id}/card/send",
    response={
        202: CardSendOut,
        **dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut),
    },
    auth=staff_auth,
)
def send_participant_card(request, participant_id: int, payload: CardSendIn):
    """Send the participant their active card's link (consent and opt-outs respected; once per
    card and channel)."""
    card = card_of_managed(user=request.auth, participant_id=participant_id)
    if card is None:
        raise NotFound(_("This participant has no active card."))
    message = participant_card_send(card=card, channel=payload.channel)
    return Status(
        202, {"message_id": message.pk, "channel": message.channel, "status": message.status}
    )
