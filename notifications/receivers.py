"""Reactions to the domain signals of events (sent after commit, with ids). Thin: each queues the
task that calls the service, so a slow SMS gateway never slows the request that sent the signal."""

from . import tasks


def on_registration_confirmed(sender, registration_id, **kwargs):
    tasks.registration_notifications_schedule_task.delay(registration_id)


def on_ticket_promoted(sender, ticket_id, **kwargs):
    tasks.ticket_notifications_update_task.delay(ticket_id, True)


def on_ticket_cancelled(sender, ticket_id, **kwargs):
    tasks.ticket_notifications_update_task.delay(ticket_id, False)


def on_sessions_rescheduled(sender, event_id, session_ids, **kwargs):
    tasks.sessions_rescheduled_task.delay(event_id, list(session_ids))


def on_event_cancelled(sender, event_id, **kwargs):
    tasks.event_cancellation_task.delay(event_id)


def on_event_closed(sender, event_id, **kwargs):
    tasks.event_followups_task.delay(event_id)


def on_message_undeliverable(sender, message, reason="", **kwargs):
    """A provider could not deliver: the next channel is tried, once the status is committed."""
    from django.db import transaction

    message_id = message.pk
    transaction.on_commit(lambda: tasks.message_fallback_task.delay(message_id, str(reason)[:300]))


def on_registrations_pseudonymised(sender, registration_ids, **kwargs):
    """Retention purge or erasure: the outbox forgets addresses and texts in the same transaction."""
    from .services.inbound import inbound_forget_registrations
    from .services.outbox import messages_forget_registration

    for registration_id in registration_ids:
        messages_forget_registration(registration_id=registration_id)
    inbound_forget_registrations(registration_ids=list(registration_ids))


def on_inbound_message_received(sender, channel, phone, text, provider_id, received_at, **kwargs):
    """Stored and acted on in the webhook's request, not in a task: the provider's 200 then means
    the message is in the database, and the phone number never travels through the broker."""
    from .services.inbound import inbound_receive

    inbound_receive(
        channel=channel, phone=phone, text=text, provider_id=provider_id, received_at=received_at
    )
