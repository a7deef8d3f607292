"""Keeps SMS in memory for tests, like django.core.mail's locmem backend: sms.outbox."""

import uuid

from notifications import sms

from .base import BaseSmsBackend, SmsMessage, SmsResult


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not hasattr(sms, "outbox"):
            sms.outbox = []

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        sms.outbox.extend(messages)
        return [
            SmsResult(SmsResult.SENT, provider_id=f"locmem-{uuid.uuid4().hex[:12]}")
            for _ in messages
        ]
