"""Reactions to the events app's domain signals."""

from .services import proposals_forget


def on_registrations_pseudonymised(sender, registration_ids: list[int], **kwargs):
    # Sent inside the purge's transaction: forgotten with the registrations, or not at all.
    proposals_forget(registration_ids=registration_ids)
