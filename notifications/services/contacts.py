"""Messages to an organisation's contact (a partner institution's person) rather than to a
registration: on each channel `channels.contact_recipients` allows, in the contact's language,
each row with its own opt-out link. One row per (key, channel): the e-mail keeps the key the
caller gives, the phone's row adds its channel, so a second run adds nothing."""

from core.models import Contact
from events.models import Event
from notifications.models import Channel, Message
from notifications.rendering import opt_out_url

from .channels import contact_recipients, rendered_fields
from .outbox import message_schedule
from .scheduling import event_settings


def contact_key(key: str, channel: str) -> str:
    return key if channel == Channel.EMAIL else f"{key}:{channel}"


def contact_messages_schedule(
    *,
    contact: Contact,
    event: Event,
    purpose: str,
    context: dict,
    idempotency_key: str,
    scheduled_at,
    payload: dict | None = None,
) -> list[Message]:
    """The rows of this message to the contact, created if new (existing rows returned)."""
    language = contact.preferred_language
    organization_id = event.organizer_id
    messages = []
    recipients = contact_recipients(
        contact, event_settings(event), purpose=purpose, organization_id=organization_id
    )
    for recipient in recipients:
        fields = rendered_fields(
            purpose=purpose,
            channel=recipient.channel,
            language=language,
            context={**context, "opt_out_url": opt_out_url(recipient.channel, recipient.hashed)},
            organization_id=organization_id,
        )
        message, _created = message_schedule(
            idempotency_key=contact_key(idempotency_key, recipient.channel),
            channel=recipient.channel,
            recipient=recipient.address,
            language=language,
            purpose=purpose,
            subject=fields["subject"],
            body=fields["body"],
            scheduled_at=scheduled_at,
            event=event,
            payload={**(payload or {}), **fields["payload"]},
        )
        messages.append(message)
    return messages
