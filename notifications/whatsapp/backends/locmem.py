"""Keeps WhatsApp messages in memory for tests: notifications.whatsapp.outbox."""

import uuid

from notifications import whatsapp
from notifications.sms import SmsResult

from .base import BaseWhatsAppBackend, WhatsAppMessage


class WhatsAppBackend(BaseWhatsAppBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not hasattr(whatsapp, "outbox"):
            whatsapp.outbox = []

    def send_messages(self, messages: list[WhatsAppMessage]) -> list[SmsResult]:
        whatsapp.outbox.extend(messages)
        return [
            SmsResult(SmsResult.SENT, provider_id=f"wamid.locmem-{uuid.uuid4().hex[:12]}")
            for _ in messages
        ]
