"""Inbound webhook of the SMS provider: replies such as STOP. Authenticated by a shared bearer token."""

import hmac

from django.conf import settings
from ninja import Router
from ninja.security import HttpBearer

from . import services
from .schemas import SmsInboundIn, SmsInboundOut


class ProviderToken(HttpBearer):
    def authenticate(self, request, token):
        expected = settings.SMS_INBOUND_TOKEN
        # No token configured means the webhook is closed, not open.
        if expected and hmac.compare_digest(token.encode(), expected.encode()):
            return "sms-provider"
        return None


router = Router(tags=["notifications"])


@router.post("/notifications/sms/inbound", response=SmsInboundOut, auth=ProviderToken())
def sms_inbound(request, payload: SmsInboundIn):
    return {"stopped": services.sms_inbound_handle(sender=payload.sender, text=payload.text)}
