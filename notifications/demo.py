"""Demo for `make run`: one consenting participant on the nearest upcoming event, so that the
worker visibly sends a confirmation (console SMS and e-mail in its log) and the reminders follow
at their time; and one who chose WhatsApp, in Arabic (the console WhatsApp backend shows the
template and its parameters). Idempotent: the demo registration is found by its fixed access token."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.demographics import AgeBand, Gender, Profile
from events.codes import new_short_code, new_ticket_secret
from events.models import Attendee, Event, EventStatus, Registration, Ticket

from .services import registration_confirmation_send, registration_reminders_sync

DEMO_ACCESS_TOKEN = "demo-notifications-participant"  # noqa: S105 - demo data, not a secret
DEMO_WHATSAPP_ACCESS_TOKEN = "demo-notifications-whatsapp"  # noqa: S105 - demo data


@dataclass
class DemoResult:
    created_objects: int


@transaction.atomic
def demo_load() -> DemoResult:
    if Registration.objects.filter(access_token=DEMO_ACCESS_TOKEN).exists():
        return DemoResult(created_objects=0)
    event = (
        Event.objects.filter(status=EventStatus.PUBLISHED, sessions__date__gt=timezone.localdate())
        .order_by("start_date")
        .first()
    )
    if event is None:
        return DemoResult(created_objects=0)
    created = 0
    for fields in (
        {
            "contact_name": "Awa",
            "phone": "+212600000001",
            "email": "awa.demo@example.org",
            "language": "fr",
            "access_token": DEMO_ACCESS_TOKEN,
        },
        {
            "contact_name": "Moussa",
            "phone": "+212600000002",
            "language": "ar",
            "preferred_channel": Registration.Channel.WHATSAPP,
            "whatsapp_opt_in": True,
            "whatsapp_opt_in_recorded_at": timezone.now(),
            "whatsapp_opt_in_wording_version": "demo",
            "access_token": DEMO_WHATSAPP_ACCESS_TOKEN,
        },
    ):
        created += _demo_participant(event, fields)
    return DemoResult(created_objects=created)


def _demo_participant(event: Event, fields: dict) -> int:
    registration = Registration.objects.create(
        event=event,
        consent_contact=True,
        consent_recorded_at=timezone.now(),
        consent_wording_version="demo",
        source=Registration.Source.ADMIN,
        **fields,
    )
    attendee = Attendee.objects.create(
        registration=registration,
        first_name=registration.contact_name,
        gender=Gender.FEMALE,
        age_band=AgeBand.AGE_25_59,
        profile=Profile.MIGRANT,
        is_contact=True,
    )
    Ticket.objects.create(
        event=event, attendee=attendee, secret=new_ticket_secret(), short_code=new_short_code()
    )
    # Queued after commit: the worker of `make run` picks them up from the filesystem broker.
    sent = registration_confirmation_send(registration_id=registration.pk)
    registration_reminders_sync(registration_id=registration.pk)
    return 3 + len(sent)
