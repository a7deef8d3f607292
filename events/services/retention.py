"""Keeping personal data no longer than needed, and erasing it on request.

Pseudonymising blanks what identifies a person (contact name, phone, e-mail, first names,
nationality) and keeps what the figures count (gender, age band, profile), so programme figures are
the same before and after. Rows are kept, not deleted: attendance and tickets still point at them.
Other apps holding copies (e.g. the answers stored with door scans) clear them on the
`registrations_pseudonymised` signal, sent inside the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.permissions import can_manage_event
from core.services import audit_record
from events import signals
from events.models import Attendee, Programme, Registration
from events.models.registrations import new_access_token

PERSONAL_REGISTRATION_FIELDS = ("contact_name", "phone", "email")
PERSONAL_ATTENDEE_FIELDS = ("first_name", "nationality")


def registrations_due_for_purge(*, today: datetime.date) -> list[int]:
    """Ids of registrations whose event ended more than its programme's retention period ago."""
    due: list[int] = []
    for programme_id, retention_days in Programme.objects.values_list("pk", "retention_days"):
        cutoff = today - datetime.timedelta(days=retention_days)
        due += Registration.objects.filter(
            event__programme_id=programme_id,
            event__end_date__lt=cutoff,
            personal_data_purged_at__isnull=True,
        ).values_list("pk", flat=True)
    return due


def _pseudonymise(registration_ids: list[int], *, now) -> int:
    """Blank the personal fields of these registrations and their attendees. The confirmation
    link is rotated so an old link no longer opens the (now empty) page."""
    registrations = Registration.objects.select_for_update().filter(pk__in=registration_ids)
    ids = list(registrations.values_list("pk", flat=True))
    for registration_id in ids:
        Registration.objects.filter(pk=registration_id).update(
            contact_name="",
            phone="",
            email="",
            consent_contact=False,
            access_token=new_access_token(),
            personal_data_purged_at=now,
        )
    Attendee.objects.filter(registration_id__in=ids).update(first_name="", nationality="")
    if ids:
        signals.registrations_pseudonymised.send(sender=Registration, registration_ids=ids)
    return len(ids)


def retention_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Pseudonymise every registration past its retention period. Idempotent: purged rows are
    skipped, so running it twice (or concurrently from two beat ticks) changes nothing more."""
    now = now or timezone.now()
    due = registrations_due_for_purge(today=timezone.localdate(now))
    if not due:
        return 0
    with transaction.atomic():
        count = _pseudonymise(due, now=now)
        audit_record(actor=None, action="retention.purge", detail={"registrations": count})
    return count


@transaction.atomic
def registration_erase(*, registration: Registration, actor) -> Registration:
    """Right to erasure: pseudonymise one registration (the person and those they registered) now,
    whatever the retention period. Recorded in the audit trail without the erased data."""
    if not can_manage_event(actor, registration.event):
        raise PermissionDenied(_("You do not organize this event."))
    _pseudonymise([registration.pk], now=timezone.now())
    audit_record(
        actor=actor,
        action="registration.erase",
        target=registration,
        detail={"event": registration.event_id},
    )
    registration.refresh_from_db()
    return registration


@transaction.atomic
def attendee_erase(*, attendee: Attendee, actor) -> Attendee:
    """Erasure of one member of someone else's registration (a child, a partner): their first name
    and nationality go; the registration's contact, phone and e-mail, and the other members, stay
    (they belong to people who did not ask). Other apps clear their copies on the
    `attendees_pseudonymised` signal, sent inside this transaction."""
    registration = attendee.registration
    if not can_manage_event(actor, registration.event):
        raise PermissionDenied(_("You do not organize this event."))
    Attendee.objects.filter(pk=attendee.pk).update(first_name="", nationality="")
    signals.attendees_pseudonymised.send(sender=Attendee, attendee_ids=[attendee.pk])
    audit_record(
        actor=actor,
        action="attendee.erase",
        target=registration,
        detail={"event": registration.event_id, "attendee": attendee.pk},
    )
    attendee.refresh_from_db()
    return attendee
