"""What a contact answers to our messages: "I am coming" or "I am not coming". The notifications
app reads the words (1 / OUI / نعم, 2 / NON / لا) and calls these; so could a form or the admin.

Confirming needs a place: a registration still on the waiting list, or already cancelled, cannot
confirm. Declining cancels every ticket of the registration and gives the freed places to the
waiting list (tickets.registration_cancel), once, however often the answer is repeated."""

import enum

from django.db import transaction
from django.utils import timezone

from events.models import Registration, Ticket

from .tickets import event_lock, registration_cancel


class AnswerOutcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    NO_PLACE = "no_place"  # waiting list only, or nothing left to confirm
    CANCELLED = "cancelled"
    ALREADY_CANCELLED = "already_cancelled"


def registration_confirm_attendance(*, registration: Registration, now=None) -> AnswerOutcome:
    now = now or timezone.now()
    with transaction.atomic():
        # The event first, like every ticket write, so that a decline racing a confirm queues.
        event_lock(event=registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        has_place = Ticket.objects.filter(
            attendee__registration=registration, status=Ticket.Status.VALID
        ).exists()
        if not has_place:
            return AnswerOutcome.NO_PLACE
        if registration.answer == Registration.Answer.CONFIRMED:
            return AnswerOutcome.ALREADY_CONFIRMED
        registration.answer, registration.answered_at = Registration.Answer.CONFIRMED, now
        registration.save(update_fields=["answer", "answered_at"])
    return AnswerOutcome.CONFIRMED


def registration_decline(*, registration: Registration, actor=None, now=None) -> AnswerOutcome:
    now = now or timezone.now()
    with transaction.atomic():
        event_lock(event=registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        cancelled = registration_cancel(registration=registration, actor=actor)
        if not cancelled:
            return AnswerOutcome.ALREADY_CANCELLED
        registration.answer, registration.answered_at = Registration.Answer.DECLINED, now
        registration.save(update_fields=["answer", "answered_at"])
    return AnswerOutcome.CANCELLED
