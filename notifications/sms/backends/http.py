"""A generic HTTP SMS gateway: one JSON POST per message to settings.SMS_HTTP_URL with a bearer
token and an Idempotency-Key header, answering {"id": "..."}. Failures are sorted into permanent
(4xx such as an invalid number: never retried) and transient (429, 5xx, network errors and
timeouts: retried later with backoff by the caller)."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from .base import BaseSmsBackend, SmsMessage, SmsResult

TRANSIENT_STATUSES = {408, 425, 429}


def classify_http_status(status: int) -> str:
    if 200 <= status < 300:
        return SmsResult.SENT
    if status in TRANSIENT_STATUSES or status >= 500:
        return SmsResult.RETRY
    return SmsResult.FAILED


class SmsBackend(BaseSmsBackend):
    def __init__(self, *args, url=None, token=None, timeout=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url or settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = timeout
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("SMS_HTTP_URL must be an http(s) URL")

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        return [self._send_one(message) for message in messages]

    def _send_one(self, message: SmsMessage) -> SmsResult:
        payload = json.dumps(
            {
                "to": message.to,
                "from": message.sender,
                "text": message.body,
                "reference": message.idempotency_key,
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if message.idempotency_key:
            headers["Idempotency-Key"] = message.idempotency_key
        request = urllib.request.Request(self.url, data=payload, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except TimeoutError:
            return SmsResult(SmsResult.RETRY, error="provider timeout")
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return SmsResult(SmsResult.RETRY, error=f"provider unreachable: {reason}"[:200])
        outcome = classify_http_status(status)
        body = _parse_json(raw)
        if outcome == SmsResult.SENT:
            return SmsResult(SmsResult.SENT, provider_id=str(body.get("id", ""))[:200])
        detail = body.get("error") or body.get("detail") or body.get("message") or ""
        return SmsResult(outcome, error=f"HTTP {status} {detail}".strip()[:300])


def _parse_json(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
