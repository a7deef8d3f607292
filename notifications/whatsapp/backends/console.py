"""Writes each WhatsApp message to stdout (make run): visible in the worker's log."""

import sys
import threading
import uuid

from notifications.sms import SmsResult

from .base import BaseWhatsAppBackend, WhatsAppMessage, describe


class WhatsAppBackend(BaseWhatsAppBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, messages: list[WhatsAppMessage]) -> list[SmsResult]:
        results = []
        with self._lock:
            for message in messages:
                # Show enough of the number to tell messages apart, not to call.
                masked = f"{message.to[:5]}…{message.to[-3:]}" if len(message.to) > 8 else "…"
                self.stream.write(
                    f"--- WhatsApp to {masked} [{message.idempotency_key}]\n"
                    f"{describe(message)}\n---\n"
                )
                results.append(
                    SmsResult(SmsResult.SENT, provider_id=f"wamid.console-{uuid.uuid4().hex[:12]}")
                )
            self.stream.flush()
        return results
