"""A generic HTTP SMS gateway: one JSON POST per message to settings.SMS_HTTP_URL with a bearer
token and an Idempotency-Key header, answering {"id": "..."}. Failures are sorted into permanent
(4xx such as an invalid number: never retried) and transient (429, 5xx, network errors and
timeouts: retried later with backoff by the caller). A 429 is the provider's flow control: the
result says `throttled`, and the Retry-After the provider gave (seconds or an HTTP date) travels
in `extra["retry_after"]` for 429 and 503, so that the outbox waits as long as it was told."""

import datetime
import email.utils
import json
import math
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from .base import BaseSmsBackend, SmsMessage, SmsResult

TRANSIENT_STATUSES = {408, 425, 429}


def classify_http_status(status: int) -> str:
    if 200 <= status < 300:
        return SmsResult.SENT
    if status in TRANSIENT_STATUSES or status >= 500:
        return SmsResult.RETRY
    return SmsResult.FAILED


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict
    # From a Retry-After header of an error answer (seconds, see retry_after_seconds).
    retry_after: int | None


def post_json(url: str, data: dict, *, headers: dict, timeout, provider: str):
    """POST `data` as JSON: the provider's HttpAnswer, whatever its status, or a RETRY SmsResult
    when `provider` (named in the error) timed out or could not be reached. Shared by the SMS and
    WhatsApp HTTP backends."""
    request = urllib.request.Request(  # noqa: S310 - the backends check their URL is http(s)
        url,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
        method="POST",
    )
    retry_after = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
        retry_after = retry_after_seconds(exc.headers.get("Retry-After"))
    except TimeoutError:
        return SmsResult(SmsResult.RETRY, error=f"{provider} timeout")
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return SmsResult(SmsResult.RETRY, error=f"{provider} unreachable: {reason}"[:200])
    return HttpAnswer(status, parse_json_object(raw), retry_after)


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
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if message.idempotency_key:
            headers["Idempotency-Key"] = message.idempotency_key
        answer = post_json(
            self.url,
            {
                "to": message.to,
                "from": message.sender,
                "text": message.body,
                "reference": message.idempotency_key,
            },
            headers=headers,
            timeout=self.timeout,
            provider="provider",
        )
        if isinstance(answer, SmsResult):
            return answer
        status, body, retry_after = answer.status, answer.body, answer.retry_after
        outcome = classify_http_status(status)
        if outcome == SmsResult.SENT:
            return SmsResult(SmsResult.SENT, provider_id=str(body.get("id", ""))[:200])
        detail = body.get("error") or body.get("detail") or body.get("message") or ""
        extra = {"throttled": True} if status == 429 else {}
        if retry_after is not None and status in (429, 503):
            extra["retry_after"] = retry_after
        return SmsResult(outcome, error=f"HTTP {status} {detail}".strip()[:300], extra=extra)


def retry_after_seconds(value: str | None) -> int | None:
    """A Retry-After header (delay in seconds, or an HTTP date) as whole seconds from now, within
    1 s .. 1 h; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = math.ceil((when - datetime.datetime.now(datetime.UTC)).total_seconds())
    return max(1, min(seconds, 3600))


def parse_json_object(raw: bytes) -> dict:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
