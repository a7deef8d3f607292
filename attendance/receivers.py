"""Reactions to events' domain signals."""

from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from events.models import Event, Registration, Ticket
from events.signals import (
    attendees_pseudonymised,
    registration_confirmed,
    registrations_pseudonymised,
    ticket_promoted,
    ticket_reissued,
)
from participants.signals import card_issued

from .models import ScanAttempt
from .services.offline_keys import offline_code_hashes_warm_queue


def _scan_answers_forget(attempts) -> None:
    for attempt in attempts.only("pk", "response"):
        response = dict(attempt.response or {})
        if "message" in response:
            response["message"] = ""
        if isinstance(response.get("attendee"), dict):
            response["attendee"] = {**response["attendee"], "first_name": ""}
        ScanAttempt.objects.filter(pk=attempt.pk).update(response=response)


@receiver(registrations_pseudonymised)
def forget_names_in_scan_answers(sender, registration_ids, **kwargs):
    """Stored door answers repeat the first name ("Welcome, Amina!"): keep the status and the
    demographics, drop the name and the sentence that carries it."""
    _scan_answers_forget(
        ScanAttempt.objects.filter(ticket__attendee__registration_id__in=registration_ids)
    )


@receiver(attendees_pseudonymised)
def forget_one_member_at_the_door(sender, attendee_ids, **kwargs):
    """One member erased: their door answers lose the name, the text logged for their tickets
    goes, and so does the text of the event's unmatched attempts (where a typed name lands, and
    which row names whom cannot be known), as for the erasure of a whole registration."""
    _scan_answers_forget(ScanAttempt.objects.filter(ticket__attendee_id__in=attendee_ids))
    ScanAttempt.objects.filter(ticket__attendee_id__in=attendee_ids).exclude(text="").update(
        text=""
    )
    event_ids = Registration.objects.filter(members__pk__in=attendee_ids).values("event_id")
    ScanAttempt.objects.filter(event_id__in=event_ids, ticket__isnull=True).exclude(text="").update(
        text=""
    )


@receiver(registrations_pseudonymised)
def forget_text_typed_at_the_door(sender, registration_ids, **kwargs):
    """The scan log keeps what was scanned or typed (`ScanAttempt.text`); a volunteer who typed a
    name into the code field left it there ("unknown ticket"). Once the person is erased that
    text could still name them, and nothing ties it to their registration: which row names whom
    cannot be known, so the rule is by event, not by person.

    - Once every registration of an event is pseudonymised (the retention purge, or the last
      erasure), all text logged at that event's door is blanked.
    - A single erasure blanks, for the event, the text of every attempt that matched no ticket
      (where a typed name lands), and the text of the erased people's own tickets' attempts.

    Status, times, tickets and attendances stay, so figures and the door history are unchanged.
    Lookups by first name at the door are read-only queries and store nothing."""
    event_ids = set(
        Registration.objects.filter(pk__in=registration_ids).values_list("event_id", flat=True)
    )
    still_personal = set(
        Registration.objects.filter(
            event_id__in=event_ids, personal_data_purged_at__isnull=True
        ).values_list("event_id", flat=True)
    )
    fully_purged = event_ids - still_personal
    if fully_purged:
        ScanAttempt.objects.filter(event_id__in=fully_purged).exclude(text="").update(text="")
    if still_personal:
        ScanAttempt.objects.filter(event_id__in=still_personal, ticket__isnull=True).exclude(
            text=""
        ).update(text="")
    ScanAttempt.objects.filter(ticket__attendee__registration_id__in=registration_ids).exclude(
        text=""
    ).update(text="")


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


@receiver(card_issued)
def warm_card_code_hashes(sender, participant_id, card_id, **kwargs):
    """A new card goes into the offline packs of the events not over yet in the programmes its
    person registered in: hash its short code for them ahead of the next download."""
    linked = Q(
        programme__events__registrations__members__participant_link__participant_id=(participant_id)
    ) | Q(
        programme__events__registrations__members__participant_link__participant__merged_into_id=(
            participant_id
        )
    )
    events = (
        Event.objects.filter(linked, end_date__gte=timezone.localdate())
        .values_list("pk", flat=True)
        .distinct()
    )
    for event_id in events:
        offline_code_hashes_warm_queue(event_id=event_id)
