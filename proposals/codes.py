"""Who is typing: the person a ticket code or a participant-card code names, for one event.

A ticket counts when it is a valid ticket of this event; its person is the participant its
attendee is linked to (figures then count them once across the programme), with the attendee's
gender, age band and profile. A card counts when it is an active card of the event organiser's
participants; its person is the card's participant (merges followed), and the ticket they hold
for this event, if any, is kept too. A valid ticket of another event is said to be one (the
person holds it, telling them saves a queue at the table); another organisation's card is not
recognised at all."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import ApplicationError
from events.codes import normalize_short_code
from events.models import Event, Ticket
from participants.models import Participant
from participants.selectors_cards import MAX_CODE_TEXT, card_named_by


@dataclass(frozen=True)
class CodePerson:
    ticket: Ticket | None
    participant: Participant | None
    gender: str
    age_band: str
    profile: str


def _ticket_named_by(code: str) -> Ticket | None:
    short_code = normalize_short_code(code)
    tickets = Ticket.objects.select_related(
        "attendee__participant_link__participant__merged_into"
    ).filter(status=Ticket.Status.VALID)
    if short_code:
        return tickets.filter(short_code=short_code).first()
    return tickets.filter(secret=code).first()


def _canonical(participant: Participant | None) -> Participant | None:
    if participant is not None and participant.merged_into_id:
        return participant.merged_into
    return participant


def person_from_code(*, event: Event, code: str) -> CodePerson:
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE_TEXT:
        raise ApplicationError(
            _("Type the code printed on your ticket or participant card."),
            code="code_missing",
            field_errors={"code": [_("This field is required.")]},
        )
    ticket = _ticket_named_by(code)
    if ticket is not None:
        if ticket.event_id != event.pk:
            raise ApplicationError(
                _("This ticket is for another event. Use your ticket for this event."),
                code="code_other_event",
                status=403,
            )
        attendee = ticket.attendee
        link = getattr(attendee, "participant_link", None)
        return CodePerson(
            ticket=ticket,
            participant=_canonical(link.participant if link else None),
            gender=attendee.gender,
            age_band=attendee.age_band,
            profile=attendee.profile,
        )
    card = card_named_by(code, organization=event.organizer_id)
    if card is not None:
        participant = _canonical(card.participant)
        held = (
            Ticket.objects.filter(
                event=event,
                status=Ticket.Status.VALID,
                attendee__participant_link__participant__in=[
                    participant.pk,
                    *participant.merged_participants.values_list("pk", flat=True),
                ],
            )
            .order_by("pk")
            .first()
        )
        return CodePerson(
            ticket=held,
            participant=participant,
            gender=participant.gender,
            age_band=participant.age_band,
            profile=participant.profile,
        )
    raise ApplicationError(
        _("We do not recognise this code for this event. Check it and try again."),
        code="unknown_code",
        status=404,
    )
