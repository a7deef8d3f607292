"""The SMS provider's inbound callback, read the way HTTP SMS providers send it: a form-encoded or
JSON POST with `from`, `text`, `id` and `timestamp` (ISO 8601 or Unix seconds; now when absent),
authenticated by the shared secret SMS_INBOUND_TOKEN, sent as `Authorization: Bearer <secret>` or,
for providers that can only be given a URL, as `?secret=<secret>`.

Everything a provider could get wrong is a 400 with a sentence saying what; a missing or wrong
secret is a 403 (no secret configured: the callback is closed)."""

import datetime
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied

FIELDS = {"phone": ("from", "sender"), "text": ("text",), "id": ("id", "message_id")}


@dataclass(frozen=True)
class InboundSms:
    phone: str
    text: str
    provider_id: str
    received_at: datetime.datetime


def inbound_secret_check(request) -> None:
    expected = settings.SMS_INBOUND_TOKEN
    header = request.headers.get("Authorization", "")
    given = header[7:] if header.startswith("Bearer ") else request.GET.get("secret", "")
    # Compared in constant time, as bytes (compare_digest refuses non-ASCII text).
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise PermissionDenied(_("Wrong or missing shared secret."), code="bad_secret")


def inbound_sms_parse(request) -> InboundSms:
    data = _body(request)
    values = {}
    for name, keys in FIELDS.items():
        value = next((data[key] for key in keys if data.get(key) not in (None, "")), "")
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ApplicationError(_("The field %(field)s must be text.") % {"field": keys[0]})
        values[name] = str(value)
    if not values["phone"]:
        raise ApplicationError(_("The sender number (from) is missing."), code="invalid_sender")
    if not values["id"]:
        raise ApplicationError(_("The message id (id) is missing."), code="invalid_id")
    return InboundSms(
        phone=values["phone"],
        text=values["text"],
        provider_id=values["id"],
        received_at=_timestamp(data.get("timestamp", data.get("date"))),
    )


def _body(request) -> dict:
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApplicationError(_("The body is not valid JSON."), code="invalid_json") from exc
        if not isinstance(data, dict):
            raise ApplicationError(_("The body must be a JSON object."), code="invalid_json")
        return data
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.dict()
    raise ApplicationError(
        _("Send the message as JSON or as a form (application/x-www-form-urlencoded)."),
        code="invalid_content_type",
    )


def _timestamp(value) -> datetime.datetime:
    if value in (None, ""):
        return timezone.now()
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        if isinstance(value, str) and value.strip().isdigit():
            return datetime.datetime.fromtimestamp(int(value.strip()), tz=datetime.UTC)
        if isinstance(value, str):
            moment = datetime.datetime.fromisoformat(value.strip())
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise ApplicationError(
        _("The timestamp must be ISO 8601 or Unix seconds."), code="invalid_timestamp"
    )
