"""Demo data for proposals: a call on the first African fair with its themes, a few proposals
from ticket holders (some accepted and endorsed, the first put to a partner of the programme
for an answer) and a group's proposal entered at a table.
Idempotent: nothing is added once the call has proposals."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from events.codes import format_short_code
from events.models import Event, EventKind, Ticket

from .selectors import proposal_network
from .services import (
    call_open,
    proposal_accept,
    proposal_endorse,
    proposal_group_enter,
    proposal_submit,
)
from .services_addressing import proposal_address

THEMES = [
    {"name_fr": "Vivre ensemble", "name_ar": "العيش المشترك", "name_en": "Living together"},
    {"name_fr": "Jeunesse et sport", "name_ar": "الشباب والرياضة", "name_en": "Youth and sport"},
    {"name_fr": "Le quartier", "name_ar": "الحي", "name_en": "The neighbourhood"},
]
# (theme index, title, text, language, accepted)
PROPOSALS = [
    (0, "Repas de quartier mensuel", "Un repas partagé chaque mois entre voisins.", "fr", True),
    (1, "دوري كرة القدم المختلط", "دوري كرة قدم يجمع شباب الحي والشباب المهاجرين.", "ar", True),
    (2, "Community garden", "A shared garden on the empty plot near the school.", "en", False),
]


@dataclass
class DemoResult:
    created_objects: int
    text: str = ""


@transaction.atomic
def demo_load() -> DemoResult:
    event = Event.objects.filter(kind=EventKind.AFRICAN_FAIR).order_by("pk").first()
    if event is None:
        return DemoResult(created_objects=0)
    call = call_open(event=event, themes=THEMES)
    tickets = list(
        Ticket.objects.filter(event=event, status=Ticket.Status.VALID).order_by("pk")[:6]
    )
    url = settings.SITE_URL + reverse("proposals:participate", args=[event.pk])
    text = f"Proposals (phone page): {url}"
    if tickets:
        text += f" with a ticket code such as {format_short_code(tickets[-1].short_code)}"
    if call.proposals.exists() or len(tickets) < 5:
        return DemoResult(created_objects=0, text=text)
    themes = list(call.themes.all())
    created = 0
    accepted = []
    for ticket, (theme, title, body, language, accept) in zip(tickets, PROPOSALS, strict=False):
        proposal = proposal_submit(
            call=call,
            code=ticket.short_code,
            theme=themes[theme],
            title=title,
            text=body,
            language=language,
        )
        created += 1
        if accept:
            accepted.append(proposal_accept(proposal=proposal))
    partner = proposal_network(event=event).first()
    if accepted and partner is not None:
        proposal_address(proposal=accepted[0], organization_ids=[partner.pk])
    proposal_group_enter(
        call=call,
        theme=themes[1],
        title="Un terrain de basket éclairé",
        text="Proposé par un groupe de jeunes du quartier Lazaret.",
        language="fr",
        counts=[
            {"gender": "female", "age_band": "12-17", "count": 4},
            {"gender": "male", "age_band": "12-17", "count": 5},
        ],
        entered_by=None,
    )
    created += 1
    for ticket in tickets[3:5]:
        proposal_endorse(proposal=accepted[0], code=ticket.short_code)
        created += 1
    return DemoResult(created_objects=created, text=text)
