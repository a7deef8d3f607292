"""Reactions to events' domain signals."""

from django.dispatch import receiver

from events.models import Registration, Ticket
from events.signals import (
    registration_confirmed,
    registrations_pseudonymised,
    ticket_promoted,
    ticket_reissued,
)

from .models import ScanAttempt
from .services.offline_keys import offline_code_hashes_warm_queue


@receiver(registrations_pseudonymised)
def forget_names_in_scan_answers(sender, registration_ids, **kwargs):
    """Stored door answers repeat the first name ("Welcome, Amina!"): keep the status and the
    demographics, drop the name and the sentence that carries it."""
    attempts = ScanAttempt.objects.filter(
        ticket__attendee__registration_id__in=registration_ids
    ).only("pk", "response")
    for attempt in attempts:
        response = dict(attempt.response or {})
        if "message" in response:
            response["message"] = ""
        if isinstance(response.get("attendee"), dict):
            response["attendee"] = {**response["attendee"], "first_name": ""}
        ScanAttempt.objects.filter(pk=attempt.pk).update(response=response)


# New, promoted or re-issued tickets: their short codes are hashed for the offline pack in the
# background, well before a volunteer downloads it (the queue coalesces bursts per event).


@receiver(registration_confirmed, dispatch_uid="attendance.warm.registration")
def warm_codes_of_registration(sender, registration_id, **kwargs):
    for pk in Registration.objects.filter(pk=registration_id).values_list("event_id", flat=True):
        offline_code_hashes_warm_queue(event_id=pk)


@receiver(ticket_promoted, dispatch_uid="attendance.warm.promoted")
@receiver(ticket_reissued, dispatch_uid="attendance.warm.reissued")
def warm_code_of_ticket(sender, ticket_id, **kwargs):
    for pk in Ticket.objects.filter(pk=ticket_id).values_list("event_id", flat=True):
        offline_code_hashes_warm_queue(event_id=pk)
