"""Reactions to events' domain signals."""

from django.dispatch import receiver

from events.signals import registrations_pseudonymised

from .models import ScanAttempt


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
