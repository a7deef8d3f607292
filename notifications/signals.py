"""Signals between the provider webhooks and the services that react to them.

The webhooks only translate what a provider says into these signals; what follows (falling back to
another channel, opting out, confirming a place) belongs to the services that receive them.
"""

from django.dispatch import Signal

# A provider reports a message it could not deliver (failed, undeliverable, expired).
# Arguments: message (notifications.models.Message), reason (str, the provider's words).
message_undeliverable = Signal()

# A person wrote to us (WhatsApp webhook or SMS inbound callback).
# Arguments: channel ("whatsapp" or "sms"), phone (str, E.164), text (str), provider_id (str,
# the provider's id of the inbound message, for deduplication), received_at (aware datetime).
inbound_message_received = Signal()
