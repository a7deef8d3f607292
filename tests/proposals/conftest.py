import pytest
from django.core.cache import cache

from tests.factories import CallThemeFactory, EventFactory, ParticipantLinkFactory, TicketFactory


def linked_ticket(event, *, participant=None, gender="female", age_band="25-59", profile="migrant"):
    """A valid ticket of `event` whose attendee is linked to a participant (a new one unless
    given, whose gender, age band and profile the attendee then has), as registration does."""
    if participant is not None:
        gender, age_band = participant.gender, participant.age_band
        profile = participant.profile
    ticket = TicketFactory(
        attendee__registration__event=event,
        attendee__gender=gender,
        attendee__age_band=age_band,
        attendee__profile=profile,
    )
    if participant is None:
        ParticipantLinkFactory(
            attendee=ticket.attendee,
            participant__gender=gender,
            participant__age_band=age_band,
            participant__profile=profile,
        )
    else:
        ParticipantLinkFactory(attendee=ticket.attendee, participant=participant)
    return ticket


def submitted_proposal(call, theme, *, title="T", accepted=False):
    """A participant's proposal made through the service with the code of a new linked ticket;
    accepted by moderation when asked."""
    from proposals import services

    proposal = services.proposal_submit(
        call=call,
        code=linked_ticket(call.event).short_code,
        theme=theme,
        title=title,
        text="X",
        language="fr",
    )
    return services.proposal_accept(proposal=proposal) if accepted else proposal


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def theme(event):
    return CallThemeFactory(call__event=event)


@pytest.fixture
def call(theme):
    return theme.call


@pytest.fixture(autouse=True)
def _fresh_code_counters():
    """Wrong-code counters live in the cache (Redis): each test starts from none."""
    cache.clear()
