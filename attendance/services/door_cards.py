"""A participant card at the door: the person's ticket when they hold one, else a known walk-in.

Runs only when the scanned text named no ticket (the ticket scan's hot path is untouched: the
card is looked up after its one read found nothing). Then:
1. the card (active, of a participant of the event's organisation; anything else stays the
   "unknown ticket" answer, so another organisation's card reveals nothing);
2. a valid ticket of this event held by the card's person (a ParticipantLink resolving to the
   card's canonical participant): admitted exactly as if its QR had been scanned, through the
   same admission_decide() and the same one-admission constraint;
3. no such ticket, an entry, and the event admits known walk-ins (DoorSettings.known_walk_ins,
   on by default): an on-the-spot registration (source "door", the participant's demographics,
   no name, phone or e-mail) linked to the card's participant, and its ticket admitted. The
   person counts as the participant they are, not as an anonymous walk-in.

Two scans of one card at once (two gates, a double tap with two nonces) serialise on the
participant's row: the second finds the ticket the first created and answers "already
admitted", so one registration and one attendance whatever the timing."""

from dataclasses import replace

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext as _

from core.demographics import Profile
from events.models import Event, Registration, Ticket
from events.services.registrations import PersonData, registration_create
from participants.models import Participant, ParticipantCard
from participants.selectors_cards import card_named_by
from participants.services.matching import attendees_linked_to

from ..models import Attendance, DoorSettings, ScanStatus
from ..scan_reads import MAX_TEXT_LENGTH, DoorTicket, door_ticket
from .admission import WRITE_ADMIT, WRITE_KNOWN_WALK_IN, admission_decide


def door_card(text: str, *, event_id: int) -> ParticipantCard | None:
    """The active card that `text` (its QR secret, card page URL or typed short code) names,
    when its participant belongs to the organisation of `event_id`. One query."""
    if len(text or "") > MAX_TEXT_LENGTH:
        return None
    organizer = Event.objects.filter(pk=event_id).values("organizer_id")[:1]
    return card_named_by(text, organization=organizer)


def held_ticket(*, participant_id: int, event_id: int, session_id: int) -> DoorTicket | None:
    """The valid ticket of the event held by the participant (or by anyone merged into them),
    preferring one already admitted to the session, so a second scan says "already admitted"."""
    linked = Q(attendee__participant_link__participant_id=participant_id) | Q(
        attendee__participant_link__participant__merged_into_id=participant_id
    )
    admitted = Attendance.objects.filter(
        ticket_id=OuterRef("pk"), session_id=session_id, voided_at__isnull=True
    )
    secret = (
        Ticket.objects.filter(linked, event_id=event_id, status=Ticket.Status.VALID)
        .annotate(
            admitted_first=Case(
                When(Exists(admitted), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("admitted_first", "pk")
        .values_list("secret", flat=True)
        .first()
    )
    if secret is None:
        return None
    ticket, _by_code = door_ticket(secret, session_id)
    return ticket


def known_walk_ins_accepted(event_id: int) -> bool:
    value = DoorSettings.objects.filter(event_id=event_id).values_list("known_walk_ins", flat=True)
    return next(iter(value), True)


class EventFull(Exception):
    """The on-the-spot registration's ticket went to the waiting list: rolled back."""


def known_walk_in_register(*, participant: Participant, event_id: int, session_id: int):
    """An on-the-spot registration of the participant for the event, linked to them; its ticket
    as the door sees it. Call inside a transaction holding the participant's lock."""
    event = Event.objects.get(pk=event_id)
    contact = PersonData(
        gender=participant.gender,
        age_band=participant.age_band,
        profile=participant.profile or Profile.UNDISCLOSED,
    )
    with attendees_linked_to(participant):
        registration = registration_create(
            event=event,
            contact=contact,
            language=participant.preferred_language,
            # The person consented when they first registered (that is how they are known);
            # this registration only records their coming to this event.
            consent_register=True,
            consent_contact=False,
            source=Registration.Source.DOOR,
            enforce_window=False,
        )
    secret = Ticket.objects.filter(attendee__registration=registration).values_list(
        "secret", flat=True
    )[0]
    ticket, _by_code = door_ticket(secret, session_id)
    if ticket.status != Ticket.Status.VALID:
        raise EventFull
    return ticket


def card_scan(scan, card: ParticipantCard, *, source: str, now) -> dict | None:
    """The answer to a scan that named `card` (None: answer "unknown ticket" as before). `scan`
    is the scan in progress (services.scans._Scan), its text already cut of the card's secret."""
    from .scans import _admission_context, scan_answer

    context = scan.context
    participant_id = card.participant.canonical_id
    ticket = held_ticket(
        participant_id=participant_id, event_id=context.event_id, session_id=context.session_id
    )
    if ticket is None:
        # The same rule as the phone's offline (offline.js) and the sync's: a card with no
        # ticket behind it is a known walk-in on entry when the event admits them.
        unknown_context, _allowed = _admission_context(context, None, scan.direction, now)
        decision = admission_decide(
            replace(
                unknown_context,
                card_found=True,
                known_walk_ins=known_walk_ins_accepted(context.event_id),
            )
        )
        if decision.write == WRITE_KNOWN_WALK_IN:
            return _known_walk_in(scan, participant_id, source=source, now=now)
        if decision.key != "known_walk_ins_off":
            return None  # an exit: "unknown ticket" as before
        response = scan_answer(
            ScanStatus.UNKNOWN_TICKET,
            _("Known participant without a ticket: this event does not admit walk-ins."),
        )
        scan.log(response, ticket=None, admission=None)
        return response
    return _ticket_scanned(scan, ticket, source=source, now=now)


def _ticket_scanned(scan, ticket: Ticket, *, source: str, now) -> dict:
    """Answer the card's ticket exactly as if its QR had been scanned."""
    from .scans import _admission_context, _scan_answered

    admission_context, allowed = _admission_context(scan.context, ticket, scan.direction, now)
    return _scan_answered(
        scan,
        ticket,
        source=source,
        now=now,
        admission_context=admission_context,
        decision=admission_decide(admission_context),
        allowed_sessions=allowed,
    )


def _known_walk_in(scan, participant_id: int, *, source: str, now) -> dict:
    from .scans import _admission_context, attendee_summary, scan_answer

    context = scan.context
    try:
        with transaction.atomic():
            participant = Participant.objects.select_for_update().get(pk=participant_id)
            # Another scan of this card may have registered them while we waited for the lock.
            ticket = held_ticket(
                participant_id=participant_id,
                event_id=context.event_id,
                session_id=context.session_id,
            )
            if ticket is not None:
                return _ticket_scanned(scan, ticket, source=source, now=now)
            ticket = known_walk_in_register(
                participant=participant, event_id=context.event_id, session_id=context.session_id
            )
            admission_context, _allowed = _admission_context(context, ticket, scan.direction, now)
            decision = admission_decide(admission_context)
            if decision.write != WRITE_ADMIT:  # a fresh ticket is never admitted nor refused
                raise ValueError(f"a known walk-in's new ticket was decided {decision}")
            response, admission = scan.admit(ticket, source=source, now=now)
            response = scan_answer(
                ScanStatus.ADMITTED,
                _("Known participant, admitted as walk-in."),
                attendee=attendee_summary(ticket),
                known_walk_in=True,
            )
            scan.log(response, ticket=ticket, admission=admission)
            return response
    except EventFull:
        response = scan_answer(
            ScanStatus.CANCELLED,
            _("Known participant without a ticket: the event is full."),
        )
        scan.log(response, ticket=None, admission=None)
        return response
