"""Free text on WhatsApp: allowed only inside the 24-hour window that opens each time the person
writes to us (outside it, WhatsApp accepts approved templates only). The organizer inbox's reply
box calls whatsapp_text_send with the time of the person's last inbound message."""

import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from notifications.models import Channel, Message, Purpose

from .channels import whatsapp_reply_allowed
from .outbox import message_schedule, messages_dispatch

MAX_TEXT = 4096  # the Cloud API's limit for a text body


def whatsapp_text_send(
    *,
    phone: str,
    text: str,
    last_inbound_at,
    language: str = "fr",
    event=None,
    registration=None,
    idempotency_key: str = "",
    now=None,
) -> Message:
    """An outbox row with this free text to `phone`, dispatched now. Raises ApplicationError
    (window_closed, empty_text, text_too_long) instead of queueing a message WhatsApp refuses."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write a message first."), code="empty_text")
    if len(text) > MAX_TEXT:
        raise ApplicationError(
            _("At most %(max)s characters.") % {"max": MAX_TEXT}, code="text_too_long"
        )
    if not phone or not whatsapp_reply_allowed(last_inbound_at=last_inbound_at, now=now):
        raise ApplicationError(
            _(
                "WhatsApp allows free text only within 24 hours of the person's last message; "
                "send an SMS instead."
            ),
            code="window_closed",
            status=409,
        )
    message, _created = message_schedule(
        idempotency_key=idempotency_key or f"{Purpose.REPLY}:{uuid.uuid4().hex}",
        channel=Channel.WHATSAPP,
        recipient=phone,
        language=language,
        purpose=Purpose.REPLY,
        subject="",
        body=text,
        scheduled_at=now,
        event=event,
        registration=registration,
    )
    messages_dispatch(ids=[message.pk])
    return message
