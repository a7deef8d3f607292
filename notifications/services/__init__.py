"""Writes of the notifications app, one module per concept; import from here."""

from .channels import whatsapp_reply_allowed
from .contacts import contact_messages_schedule
from .fallback import message_fall_back, messages_fallback_sweep
from .feedback import feedback_already_given, feedback_submit, feedback_ticket_from_token
from .inbound import (
    inbound_forget_registrations,
    inbound_forget_unmatched,
    inbound_receive,
    inbox_mark_handled,
    inbox_reply,
)
from .opt_out import is_suppressed, suppression_add
from .outbox import (
    message_schedule,
    message_send,
    messages_claim_due,
    messages_dispatch,
    messages_forget_registration,
    messages_retry_failed,
    messages_send_now,
)
from .scheduling import (
    event_cancellation_handle,
    event_followups_schedule,
    events_followups_due,
    registration_confirmation_send,
    registration_notifications_schedule,
    registration_reminders_sync,
    sessions_rescheduled_handle,
    ticket_notifications_update,
)
from .sending import messages_send_batch, messages_send_due
from .whatsapp_text import whatsapp_text_send

__all__ = [
    "contact_messages_schedule",
    "event_cancellation_handle",
    "event_followups_schedule",
    "events_followups_due",
    "feedback_already_given",
    "feedback_submit",
    "feedback_ticket_from_token",
    "inbound_forget_registrations",
    "inbound_forget_unmatched",
    "inbound_receive",
    "inbox_mark_handled",
    "inbox_reply",
    "is_suppressed",
    "message_fall_back",
    "message_schedule",
    "message_send",
    "messages_claim_due",
    "messages_dispatch",
    "messages_fallback_sweep",
    "messages_forget_registration",
    "messages_retry_failed",
    "messages_send_batch",
    "messages_send_due",
    "messages_send_now",
    "registration_confirmation_send",
    "registration_notifications_schedule",
    "registration_reminders_sync",
    "sessions_rescheduled_handle",
    "suppression_add",
    "ticket_notifications_update",
    "whatsapp_reply_allowed",
    "whatsapp_text_send",
]
