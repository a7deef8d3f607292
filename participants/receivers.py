"""Reactions to the events app's domain signals."""

from events.models import Attendee

from .services.matching import attendees_link
from .services.retention import participants_forget


def on_attendees_registered(sender, registration_id: int, attendee_ids: list[int], **kwargs):
    # Sent inside the registration's transaction: the links commit or roll back with it.
    registration, attendees = kwargs.get("registration"), kwargs.get("attendees")
    if registration is not None and attendees:
        attendees_link(registration=registration, attendees=list(attendees))
        return
    # One statement for the people, their registration and its event.
    attendees = list(
        Attendee.objects.filter(pk__in=attendee_ids, registration_id=registration_id)
        .select_related("registration__event")
        .order_by("pk")
    )
    if attendees:
        attendees_link(registration=attendees[0].registration, attendees=attendees)


def on_registrations_pseudonymised(sender, registration_ids: list[int], **kwargs):
    participants_forget(registration_ids=registration_ids)
