"""The SMS provider's inbound callback (replies such as STOP, 1, 2: notifications/inbound_sms.py
reads it) and the participant card's send action."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from core.auth import staff_auth
from core.errors import NotFound
from core.schemas import ErrorOut
from participants.selectors_cards import card_of_managed

from .api_webhooks import router as webhooks_router
from .inbound_sms import inbound_secret_check, inbound_sms_parse
from .schemas import SmsInboundOut
from .services.cards import participant_card_send
from .services.inbound import inbound_phone_clean
from .signals import inbound_message_received

router = Router(tags=["notifications"])
router.add_router("", webhooks_router)


@router.post(
    "/notifications/sms/inbound",
    response={200: SmsInboundOut, **dict.fromkeys((400, 403), ErrorOut)},
    auth=None,
)
def sms_inbound(request):
    """A person's SMS, forwarded by the provider (form or JSON: from, text, id, timestamp).
    Stored once per id; a replay answers 200 too, so that the provider stops retrying."""
    inbound_secret_check(request)
    sms = inbound_sms_parse(request)
    inbound_message_received.send(
        sender=sms_inbound,
        channel="sms",
        phone=inbound_phone_clean(sms.phone),
        text=sms.text,
        provider_id=sms.provider_id,
        received_at=sms.received_at,
    )
    return {"received": True}


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
