"""Writes each SMS to stdout (make run): visible in the worker's log."""

import sys
import threading
import uuid

from .base import BaseSmsBackend, SmsMessage, SmsResult


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def format(self, message: SmsMessage) -> str:
        # Logs outlive the demo: show enough of the number to tell messages apart, not to call.
        masked = f"{message.to[:5]}…{message.to[-3:]}" if len(message.to) > 8 else "…"
        return (
            f"--- SMS to {masked} from {message.sender} "
            f"[{message.idempotency_key}]\n{message.body}\n---\n"
        )

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        results = []
        with self._lock:
            for message in messages:
                self.stream.write(self.format(message))
                results.append(
                    SmsResult(SmsResult.SENT, provider_id=f"console-{uuid.uuid4().hex[:12]}")
                )
            self.stream.flush()
        return results
