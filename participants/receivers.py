"""Reactions to the events app's domain signals."""

from events.models import Attendee, Registration

from .services.matching import attendees_link
from .services.retention import participants_forget


def on_attendees_registered(sender, registration_id: int, attendee_ids: list[int], **kwargs):
    # Sent inside the registration's transaction: the links commit or roll back with it.
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    attendees = list(Attendee.objects.filter(pk__in=attendee_ids).order_by("pk"))
    attendees_link(registration=registration, attendees=attendees)


def on_registrations_pseudonymised(sender, registration_ids: list[int], **kwargs):
    participants_forget(registration_ids=registration_ids)
