"""Demo door set-up for `make run`: one volunteer token for every demo event, with a known value so
the scanner login link can be printed, and a wide check-in window so the demo's upcoming sessions
can be scanned today. Works whether or not the registration demo has issued tickets yet."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from events.models import Event, EventStatus, Ticket

from .models import DoorSettings, DoorToken
from .services.tokens import TOKEN_PREFIX_LENGTH, token_hash

DEMO_PROGRAMME_CODE = "vivre-ensemble-oriental"
# A demo value like the demo organizer's password: never use it outside `make run`.
DEMO_DOOR_TOKEN = "demo-porte-oujda-2026-benevoles"  # noqa: S105 - public demo value
DEMO_LABEL = "Équipe d'accueil (démo)"
# The demo sessions lie days or weeks ahead; a month-wide window lets a newcomer scan them today.
DEMO_WINDOW_MINUTES = 60 * 24 * 31


@dataclass
class DemoResult:
    created_objects: int
    text: str


@transaction.atomic
def demo_load() -> DemoResult:
    created = 0
    events = list(
        Event.objects.filter(programme__code=DEMO_PROGRAMME_CODE, status=EventStatus.PUBLISHED)
    )
    door_token, token_created = DoorToken.objects.get_or_create(
        token_hash=token_hash(DEMO_DOOR_TOKEN),
        defaults={"label": DEMO_LABEL, "token_prefix": DEMO_DOOR_TOKEN[:TOKEN_PREFIX_LENGTH]},
    )
    created += int(token_created)
    door_token.events.add(*events)
    for index, event in enumerate(events):
        _, settings_created = DoorSettings.objects.get_or_create(
            event=event,
            defaults={
                "opens_minutes_before": DEMO_WINDOW_MINUTES,
                "closes_minutes_after": DEMO_WINDOW_MINUTES,
                # One event shows exit scans and the "inside now" count.
                "exit_scans_enabled": index == 0,
            },
        )
        created += int(settings_created)
    link = f"{settings.SITE_URL}{reverse('attendance:scanner')}#token={DEMO_DOOR_TOKEN}"
    tickets = Ticket.objects.filter(event__in=events, status=Ticket.Status.VALID).count()
    text = f"Volunteer scanner: {link} ({len(events)} events, {tickets} valid tickets)"
    return DemoResult(created_objects=created, text=text)
