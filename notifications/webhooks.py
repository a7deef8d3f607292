"""What the providers post to us, checked and translated into receipts and inbound messages.

Nothing here writes: the routes in api_webhooks.py authenticate the request with these helpers,
parse the whole body first (a malformed body is refused before anything is applied, so a 400
never leaves half of a batch written), then hand each receipt to the receipts service and each
inbound message to the `inbound_message_received` signal."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from notifications.models import Channel, Message
from notifications.services.receipts import Receipt

# Unix seconds between 2000 and 2100: anything else is not a provider's clock.
_MIN_TS, _MAX_TS = 946_684_800, 4_102_444_800


class WebhookError(ValueError):
    """A body we cannot read; the message says why, for the provider's logs."""


def signature_valid(*, secret: str, body: bytes, header: str) -> bool:
    """`header` is `sha256=<hex HMAC-SHA256 of the raw body with secret>` (Meta's
    X-Hub-Signature-256). No secret configured means nothing is valid: the webhook is closed."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def secret_matches(*, expected: str, given: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def _timestamp(value: int) -> datetime.datetime:
    if not _MIN_TS <= value <= _MAX_TS:
        raise WebhookError(f"timestamp {value} is not a plausible Unix time in seconds")
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)


class _Lenient(BaseModel):
    # Providers add fields over time: ignore what we do not read.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, coerce_numbers_to_str=True)


class _WaError(_Lenient):
    code: int | None = None
    title: str = ""
    message: str = ""


class _WaStatus(_Lenient):
    id: str = Field(min_length=1, max_length=200)
    status: str = Field(min_length=1, max_length=40)
    timestamp: int
    errors: list[_WaError] = []


class _WaText(_Lenient):
    body: str = Field(max_length=4096)


class _WaButton(_Lenient):
    text: str = Field(default="", max_length=1024)


class _WaReply(_Lenient):
    title: str = Field(default="", max_length=1024)


class _WaInteractive(_Lenient):
    button_reply: _WaReply | None = None
    list_reply: _WaReply | None = None


class _WaInbound(_Lenient):
    sender: str = Field(alias="from", min_length=6, max_length=20, pattern=r"^\+?[0-9]+$")
    id: str = Field(min_length=1, max_length=200)
    timestamp: int
    type: str = ""
    text: _WaText | None = None
    button: _WaButton | None = None
    interactive: _WaInteractive | None = None

    def text_content(self) -> str | None:
        """What the person wrote or tapped; None for media, locations and the like."""
        if self.text is not None:
            return self.text.body
        if self.button is not None:
            return self.button.text
        if self.interactive is not None:
            reply = self.interactive.button_reply or self.interactive.list_reply
            return reply.title if reply else None
        return None


class _WaValue(_Lenient):
    statuses: list[_WaStatus] = []
    messages: list[_WaInbound] = []


class _WaChange(_Lenient):
    field: str = ""
    value: _WaValue


class _WaEntry(_Lenient):
    changes: list[_WaChange] = []


class _WaPayload(_Lenient):
    object: str
    entry: list[_WaEntry]


WHATSAPP_RECEIPT_STATUSES = {
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "read": Message.Status.READ,
    "failed": Message.Status.FAILED,
}


@dataclass(frozen=True)
class Inbound:
    channel: str
    phone: str
    text: str
    provider_id: str
    received_at: datetime.datetime


@dataclass
class WhatsAppBatch:
    receipts: list[Receipt]
    inbound: list[Inbound]
    ignored: int  # statuses we do not track (e.g. "deleted") and non-text inbound messages


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookError("the body is not valid JSON") from exc


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


def whatsapp_parse(body: bytes) -> WhatsAppBatch:
    """Every status and inbound message of a WhatsApp Cloud API webhook body."""
    try:
        payload = _WaPayload.model_validate(_load_json(body))
    except ValidationError as exc:
        raise WebhookError(_validation_message(exc)) from exc
    batch = WhatsAppBatch(receipts=[], inbound=[], ignored=0)
    for entry in payload.entry:
        for change in entry.changes:
            for status in change.value.statuses:
                at = _timestamp(status.timestamp)
                mapped = WHATSAPP_RECEIPT_STATUSES.get(status.status)
                if mapped is None:
                    batch.ignored += 1
                    continue
                reason = "; ".join(
                    " ".join(str(part) for part in (error.code, error.title) if part)
                    for error in status.errors
                )
                batch.receipts.append(
                    Receipt(Channel.WHATSAPP, status.id, mapped, at, reason=reason)
                )
            for inbound in change.value.messages:
                at = _timestamp(inbound.timestamp)
                text = inbound.text_content()
                if text is None:
                    batch.ignored += 1
                    continue
                phone = "+" + inbound.sender.removeprefix("+")
                batch.inbound.append(Inbound(Channel.WHATSAPP, phone, text, inbound.id, at))
    return batch


# Words the HTTP gateways use in delivery reports (DLR), lower-cased; SMPP's short forms too.
SMS_REPORT_STATUSES = {
    "sent": Message.Status.SENT,
    "accepted": Message.Status.SENT,
    "enroute": Message.Status.SENT,
    "buffered": Message.Status.SENT,
    "queued": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "delivrd": Message.Status.DELIVERED,
    "failed": Message.Status.FAILED,
    "undelivered": Message.Status.FAILED,
    "undeliv": Message.Status.FAILED,
    "undeliverable": Message.Status.FAILED,
    "expired": Message.Status.FAILED,
    "rejected": Message.Status.FAILED,
    "rejectd": Message.Status.FAILED,
}


class _SmsReport(_Lenient):
    id: str = Field(
        min_length=1, max_length=200, validation_alias=AliasChoices("id", "message_id", "messageId")
    )
    status: str = Field(min_length=1, max_length=40)
    error: str = Field(
        default="",
        max_length=500,
        validation_alias=AliasChoices("error", "reason", "error_message", "err"),
    )
    error_code: str | int | None = None
    timestamp: int | datetime.datetime | None = None


def sms_report_parse(*, body: bytes, content_type: str, form=None, now) -> list[Receipt]:
    """One delivery report (a JSON object or a form), or a JSON list of them."""
    if content_type == "application/json":
        data = _load_json(body)
        items = data if isinstance(data, list) else [data]
    else:
        items = [{key: form.get(key) for key in form}] if form is not None else []
    if not items:
        raise WebhookError("no delivery report in the body")
    if len(items) > 1000:
        raise WebhookError("at most 1000 reports per request")
    receipts = []
    for index, item in enumerate(items):
        try:
            report = _SmsReport.model_validate(item)
        except ValidationError as exc:
            prefix = f"[{index}]." if len(items) > 1 else ""
            raise WebhookError(prefix + _validation_message(exc)) from exc
        status = SMS_REPORT_STATUSES.get(report.status.strip().lower())
        if status is None:
            known = ", ".join(sorted(SMS_REPORT_STATUSES))
            raise WebhookError(f"status {report.status!r} is not one of: {known}")
        if isinstance(report.timestamp, int):
            at = _timestamp(report.timestamp)
        elif isinstance(report.timestamp, datetime.datetime):
            if report.timestamp.tzinfo is None:
                raise WebhookError("timestamp: give a UTC offset (e.g. 2026-12-01T10:00:00Z)")
            at = report.timestamp
        else:
            at = now
        code = "" if report.error_code is None else str(report.error_code)
        reason = " ".join(part for part in (code, report.error) if part) or report.status
        receipts.append(Receipt(Channel.SMS, report.id, status, at, reason=reason))
    return receipts
