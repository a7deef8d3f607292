"""The providers' callbacks: the WhatsApp Cloud API webhook (verification handshake, then status
updates and inbound messages signed with the app secret) and the SMS gateway's delivery reports
(a shared secret). Public URLs, authenticated by what only the provider knows; no session, so no
CSRF. A bad signature is 403, a malformed body 400 with the reason, an oversized body 413, and
an address that keeps failing authentication is slowed down (429) before any HMAC is computed.

Providers retry what they did not see answered 200, for days: the handlers are idempotent, so a
replay is harmless, and an unknown message id is answered 200 (refusing it would only bring it
back)."""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from core.errors import ApplicationError, PermissionDenied
from core.ratelimit import client_ip, ratelimit_exhausted, ratelimit_hit, ratelimit_retry_after
from core.schemas import ErrorOut

from .models import Message
from .services.receipts import messages_receipts_apply
from .signals import inbound_message_received
from .webhooks import (
    WebhookError,
    secret_matches,
    signature_valid,
    sms_report_parse,
    whatsapp_parse,
)

logger = logging.getLogger(__name__)

# Mounted inside notifications.api.router, whose tag it takes.
router = Router()

AUTH_FAILURE_SCOPE = "webhook-auth-failure"
ERRORS = dict.fromkeys((400, 403, 413, 429, 503), ErrorOut)


class VerifyQuery(Schema):
    mode: str = Field("", alias="hub.mode", max_length=40)
    verify_token: str = Field("", alias="hub.verify_token", max_length=200)
    challenge: str = Field("", alias="hub.challenge", max_length=200)


class WebhookOut(Schema):
    updated: int = Field(description="receipts that moved a message on")
    unchanged: int = Field(description="replays and receipts older than what is known")
    unknown: int = Field(description="receipts for ids no message carries (ignored)")
    ignored: int = Field(0, description="statuses not tracked, non-text inbound messages")
    inbound: int = Field(0, description="inbound messages handed on")


def _refuse_if_locked_out(request) -> JsonResponse | None:
    limit, _window = settings.NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_LIMIT
    ip = client_ip(request)
    if not ratelimit_exhausted(scope=AUTH_FAILURE_SCOPE, key=ip, limit=limit):
        return None
    wait = ratelimit_retry_after(scope=AUTH_FAILURE_SCOPE, key=ip, limit=limit)
    response = JsonResponse(
        {"code": "rate_limited", "detail": _("Too many refused requests; try again later.")},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _refuse(request, message: str):
    limit, window = settings.NOTIFICATIONS_WEBHOOK_AUTH_FAILURE_LIMIT
    ratelimit_hit(
        scope=AUTH_FAILURE_SCOPE, key=client_ip(request), limit=limit, window_seconds=window
    )
    raise PermissionDenied(message, code="bad_signature")


def _body(request) -> bytes:
    """The raw body, refused before it is read when it announces more than the cap."""
    cap = settings.NOTIFICATIONS_WEBHOOK_MAX_BYTES
    too_big = ApplicationError(
        _("The body is larger than %(cap)d bytes.") % {"cap": cap}, code="too_large", status=413
    )
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > cap:
        raise too_big
    body = request.body
    if len(body) > cap:
        raise too_big
    return body


def _apply(receipts) -> tuple[dict, bool]:
    """(counts by outcome, whether the batch failed and was rolled back)."""
    try:
        return messages_receipts_apply(receipts=receipts), False
    except Exception:  # noqa: BLE001 - answered 503, so that the provider retries
        logger.exception("receipts: a batch could not be applied")
        return {}, True


def _retry_later() -> JsonResponse:
    # What was applied stays applied; the provider's retry replays it harmlessly.
    return JsonResponse(
        {"code": "retry_later", "detail": "Temporarily unable to process; retry later."},
        status=503,
    )


@router.get(
    "/notifications/whatsapp/webhook",
    response={200: str, 403: ErrorOut},
    openapi_extra={"responses": {200: {"content": {"text/plain": {"schema": {"type": "string"}}}}}},
)
def whatsapp_webhook_verify(request, query: Query[VerifyQuery]):
    """Meta's subscription handshake: echo `hub.challenge` when the verify token matches."""
    if query.mode != "subscribe" or not secret_matches(
        expected=settings.WHATSAPP_WEBHOOK_VERIFY_TOKEN, given=query.verify_token
    ):
        raise PermissionDenied(_("Verification refused."), code="bad_verify_token")
    return HttpResponse(query.challenge, content_type="text/plain; charset=utf-8")


@router.post("/notifications/whatsapp/webhook", response={200: WebhookOut, **ERRORS})
def whatsapp_webhook(request):
    """Status updates (sent, delivered, read, failed) and inbound messages, signed with the app
    secret in `X-Hub-Signature-256`."""
    if refused := _refuse_if_locked_out(request):
        return refused
    body = _body(request)
    if not signature_valid(
        secret=settings.WHATSAPP_APP_SECRET,
        body=body,
        header=request.headers.get("X-Hub-Signature-256", ""),
    ):
        _refuse(request, _("Missing or invalid X-Hub-Signature-256."))
    try:
        batch = whatsapp_parse(body)
    except WebhookError as exc:
        raise ApplicationError(str(exc), code="malformed") from exc
    counts, failed = _apply(batch.receipts)
    for message in batch.inbound:
        try:
            inbound_message_received.send(
                sender=Message,
                channel=message.channel,
                phone=message.phone,
                text=message.text,
                provider_id=message.provider_id,
                received_at=message.received_at,
            )
        except Exception:  # noqa: BLE001 - answered 503 below, so that the provider retries
            logger.exception("whatsapp inbound message: a receiver failed")
            failed = True
    if failed:
        return _retry_later()
    return {**counts, "ignored": batch.ignored, "inbound": len(batch.inbound)}


@router.post("/notifications/sms/delivery-report", response={200: WebhookOut, **ERRORS})
def sms_delivery_report(request):
    """Delivery reports of the HTTP SMS gateway: JSON (one object or a list) or a form with `id`
    (or `message_id`), `status` (delivered, failed, undelivered, expired, rejected…), `error`,
    `error_code` and an optional `timestamp`. The shared secret comes as `Authorization: Bearer`
    or, for gateways that only let you set a URL, as `?token=`."""
    if refused := _refuse_if_locked_out(request):
        return refused
    body = _body(request)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    given = given or request.GET.get("token", "")
    if not secret_matches(expected=settings.SMS_DELIVERY_REPORT_TOKEN, given=given):
        _refuse(request, _("Missing or invalid token."))
    try:
        receipts = sms_report_parse(
            body=body,
            content_type=request.content_type,
            form=request.POST if request.content_type != "application/json" else None,
            now=timezone.now(),
        )
    except WebhookError as exc:
        raise ApplicationError(str(exc), code="malformed") from exc
    counts, failed = _apply(receipts)
    return _retry_later() if failed else counts
