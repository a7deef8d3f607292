"""One endorsement per person and proposal, whatever the timing: the database decides."""

import pytest

from participants.services.cards import card_issue
from proposals import services
from proposals.models import ProposalEndorsement
from tests.concurrency import run_at_once
from tests.factories import CallThemeFactory, ParticipantFactory

from .conftest import linked_ticket, submitted_proposal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def test_simultaneous_endorsements_of_one_person_make_one_row():
    theme = CallThemeFactory()
    call = theme.call
    proposal = submitted_proposal(call, theme, accepted=True)
    participant = ParticipantFactory(organization=call.event.organizer)
    ticket = linked_ticket(call.event, participant=participant)
    card = card_issue(participant=participant, actor=None)
    codes = iter([ticket.short_code, card.short_code] * THREADS)

    results = run_at_once(
        lambda: services.proposal_endorse(proposal=proposal, code=next(codes))[1], times=THREADS
    )

    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert ProposalEndorsement.objects.filter(proposal=proposal).count() == 1


def test_simultaneous_endorsements_by_one_unlinked_ticket_make_one_row():
    from tests.factories import TicketFactory

    theme = CallThemeFactory()
    call = theme.call
    proposal = submitted_proposal(call, theme, accepted=True)
    ticket = TicketFactory(attendee__registration__event=call.event)  # nobody linked

    results = run_at_once(
        lambda: services.proposal_endorse(proposal=proposal, code=ticket.short_code)[1],
        times=THREADS,
    )

    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert ProposalEndorsement.objects.filter(proposal=proposal).count() == 1
