"""Which channel a message goes by. The person's preferred channel first, then the others in
the order WhatsApp → SMS → e-mail, keeping only those they allow: consent to be contacted, an
address, the event's settings, no opt-out, and for WhatsApp an explicit opt-in plus an approved
template for the purpose in their language (a missing template means the next channel, never a
broken message). Also the WhatsApp message built from an outbox row, and the 24-hour window for
free text."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.models import Contact
from events.models import Registration
from notifications import whatsapp
from notifications.models import Channel, EventNotificationSettings, Message, WhatsAppTemplate
from notifications.rendering import render_for
from notifications.sms import SmsResult
from notifications.tokens import recipient_hash

from .opt_out import is_suppressed

CHAIN = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL)
# WhatsApp lets a business write free text only this long after the person's last message.
WHATSAPP_WINDOW = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    hashed: str


def whatsapp_template_for(
    *, purpose: str, language: str, organization_id: int | None
) -> WhatsAppTemplate | None:
    """The organisation's approved template for this purpose and language, else the platform's;
    None when there is none (no guessing another language: the person chose theirs)."""
    rows = {
        row.organization_id: row
        for row in WhatsAppTemplate.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=organization_id),
            purpose=purpose,
            language=language,
            is_active=True,
        )
    }
    return rows.get(organization_id) or rows.get(None)


def channel_order(registration: Registration) -> list[str]:
    preferred = registration.preferred_channel
    if preferred not in CHAIN:
        return list(CHAIN)
    return [preferred, *(channel for channel in CHAIN if channel != preferred)]


def registration_channels(
    registration: Registration, prefs: EventNotificationSettings, *, purpose: str
) -> list[Recipient]:
    """Every channel this registration may get this purpose by, in the order to try them."""
    if not registration.may_be_contacted:
        return []
    found = []
    for channel in channel_order(registration):
        if channel == Channel.WHATSAPP:
            allowed = (
                prefs.whatsapp_enabled
                and registration.whatsapp_opt_in
                and registration.phone
                and whatsapp_template_for(
                    purpose=purpose,
                    language=registration.language,
                    organization_id=registration.event.organizer_id,
                )
                is not None
            )
            address = registration.phone
        elif channel == Channel.SMS:
            allowed, address = prefs.sms_enabled and registration.phone, registration.phone
        else:
            allowed, address = prefs.email_enabled and registration.email, registration.email
        if allowed:
            found.append(Recipient(channel, address, recipient_hash(channel, address)))
    return [r for r in found if not is_suppressed(channel=r.channel, hashed_recipient=r.hashed)]


def registration_recipients(
    registration: Registration, prefs: EventNotificationSettings, *, purpose: str
) -> list[Recipient]:
    """Where this purpose goes first: the first allowed channel of a person who chose one; every
    allowed channel for a registration without a preference (imports, the API, older rows)."""
    channels = registration_channels(registration, prefs, purpose=purpose)
    if registration.preferred_channel:
        return channels[:1]
    return channels


def contact_recipients(
    contact: Contact, prefs: EventNotificationSettings, *, purpose: str, organization_id: int | None
) -> list[Recipient]:
    """Where a message to an organisation's contact (a partner) goes: its phone once, by
    WhatsApp when the contact agreed to it and a template exists in their language, else by SMS;
    and its e-mail. Each only as the event's settings allow and never to an address that
    answered STOP. A contact has no preferred channel: the phone and the e-mail both get it, as
    a registration without a preference does."""
    found = []
    if contact.phone:
        whatsapp_allowed = (
            prefs.whatsapp_enabled
            and contact.whatsapp_opt_in
            and whatsapp_template_for(
                purpose=purpose,
                language=contact.preferred_language,
                organization_id=organization_id,
            )
            is not None
        )
        if whatsapp_allowed:
            found.append(Channel.WHATSAPP)
        elif prefs.sms_enabled:
            found.append(Channel.SMS)
    if contact.email and prefs.email_enabled:
        found.append(Channel.EMAIL)
    recipients = []
    for channel in found:
        address = contact.email if channel == Channel.EMAIL else contact.phone
        hashed = recipient_hash(channel, address)
        if not is_suppressed(channel=channel, hashed_recipient=hashed):
            recipients.append(Recipient(channel, address, hashed))
    return recipients


def rendered_fields(
    *, purpose: str, channel: str, language: str, context: dict, organization_id: int | None
) -> dict:
    """subject, body and payload of an outbox row. A WhatsApp row carries its template and the
    parameter values; its body is the SMS text, so that organizers read what was said."""
    if channel != Channel.WHATSAPP:
        subject, body = render_for(
            purpose=purpose,
            channel=channel,
            language=language,
            context=context,
            organization_id=organization_id,
        )
        return {"subject": subject, "body": body, "payload": {}}
    template = whatsapp_template_for(
        purpose=purpose, language=language, organization_id=organization_id
    )
    if template is None:
        raise LookupError(f"no WhatsApp template for {purpose}/{language}")
    _subject, body = render_for(
        purpose=purpose,
        channel=Channel.SMS,
        language=language,
        context=context,
        organization_id=organization_id,
    )
    parameters = [[name, str(context.get(variable, ""))] for name, variable in template.parameters]
    return {
        "subject": "",
        "body": body,
        "payload": {
            "whatsapp": {
                "template": template.provider_name,
                "language_code": template.provider_language_code,
                "parameters": parameters,
            }
        },
    }


def whatsapp_outgoing(message: Message) -> whatsapp.WhatsAppMessage:
    """The provider message of an outbox row: its template, or its text (a reply)."""
    spec = (message.payload or {}).get("whatsapp")
    if spec:
        return whatsapp.WhatsAppMessage(
            to=message.recipient,
            template=spec["template"],
            language_code=spec["language_code"],
            parameters=[(name, value) for name, value in spec["parameters"]],
            idempotency_key=message.idempotency_key,
        )
    return whatsapp.WhatsAppMessage(
        to=message.recipient, text=message.body, idempotency_key=message.idempotency_key
    )


def whatsapp_deliver(message: Message) -> SmsResult:
    try:
        connection = whatsapp.get_connection()
    except ValueError as exc:
        # A server without WhatsApp credentials: retrying will not help, and a permanent failure
        # sends the message by the person's next channel.
        return SmsResult(SmsResult.FAILED, error=f"WhatsApp is not configured: {exc}"[:300])
    return connection.send_messages([whatsapp_outgoing(message)])[0]


def whatsapp_reply_allowed(*, last_inbound_at, now=None) -> bool:
    """Whether free text may go to someone whose last message to us came at last_inbound_at."""
    if last_inbound_at is None:
        return False
    now = now or timezone.now()
    return last_inbound_at <= now < last_inbound_at + WHATSAPP_WINDOW
