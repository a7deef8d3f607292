from pathlib import Path

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from events.models import EventStatus, Ticket
from participants.services.cards import card_issue
from proposals import services
from proposals.models import GroupCount, Proposal, ProposalEndorsement
from tests.factories import (
    CallThemeFactory,
    EventFactory,
    ParticipantFactory,
    TicketFactory,
    UserFactory,
)

from .conftest import linked_ticket

pytestmark = pytest.mark.django_db


def submit(call, theme, code, **extra):
    fields = {"title": "Jardin partagé", "text": "Un jardin au quartier.", "language": "fr"}
    fields.update(extra)
    return services.proposal_submit(call=call, code=code, theme=theme, **fields)


def submit_named(call, theme, code, name, **extra):
    return submit(call, theme, code, proposer_name=name, proposer_agreed_to_be_named=True, **extra)


def test_a_ticket_code_submits_a_hidden_proposal_linked_to_the_person(call, theme):
    ticket = linked_ticket(call.event, gender="male", age_band="18-24", profile="host")
    proposal = submit(call, theme, ticket.short_code.lower())
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.source == Proposal.Source.CODE
    assert proposal.ticket == ticket
    assert proposal.participant == ticket.attendee.participant_link.participant
    assert (proposal.gender, proposal.age_band, proposal.profile) == ("male", "18-24", "host")


def test_a_participant_card_code_submits_as_its_participant(call, theme):
    participant = ParticipantFactory(organization=call.event.organizer, gender="other")
    card = card_issue(participant=participant, actor=None)
    proposal = submit(call, theme, card.short_code)
    assert proposal.participant == participant
    assert proposal.ticket is None
    assert proposal.gender == "other"


def test_a_card_of_another_organisation_is_not_recognised(call, theme):
    card = card_issue(participant=ParticipantFactory(), actor=None)
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, card.short_code)
    assert (caught.value.code, caught.value.status) == ("unknown_code", 404)
    assert not Proposal.objects.exists()


def test_a_ticket_of_another_event_is_refused_with_its_own_message(call, theme):
    other = TicketFactory()
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, other.short_code)
    assert (caught.value.code, caught.value.status) == ("code_other_event", 403)


@pytest.mark.parametrize("code", ["", "   ", "x" * 600, "ZZZZ-ZZZZ", "not a code"])
def test_bad_codes_are_refused_cleanly(call, theme, code):
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, code)
    assert 400 <= caught.value.status < 500
    assert not Proposal.objects.exists()


def test_a_cancelled_ticket_is_no_code(call, theme):
    ticket = linked_ticket(call.event)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CANCELLED)
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, ticket.short_code)
    assert caught.value.code == "unknown_code"


def test_a_closed_call_refuses_proposals(call, theme):
    services.call_close(call=call)
    ticket = linked_ticket(call.event)
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, ticket.short_code)
    assert (caught.value.code, caught.value.status) == ("call_closed", 409)


def test_a_closed_event_refuses_proposals(call, theme):
    ticket = linked_ticket(call.event)
    call.event.status = EventStatus.CLOSED
    call.event.save()
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, ticket.short_code)
    assert caught.value.code == "call_closed"


def test_the_same_idea_twice_is_a_duplicate(call, theme):
    ticket = linked_ticket(call.event)
    submit(call, theme, ticket.short_code)
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, ticket.secret)
    assert (caught.value.code, caught.value.status) == ("duplicate_proposal", 409)
    assert Proposal.objects.count() == 1


def test_a_theme_of_another_call_is_refused(call, theme):
    other_theme = CallThemeFactory(call__event=EventFactory())
    ticket = linked_ticket(call.event)
    with pytest.raises(ApplicationError) as caught:
        submit(call, other_theme, ticket.short_code)
    assert "theme" in caught.value.field_errors


def test_a_name_without_consent_is_not_stored(call, theme):
    ticket = linked_ticket(call.event)
    proposal = submit(call, theme, ticket.short_code, proposer_name="Aminata")
    assert proposal.proposer_name == ""
    other = linked_ticket(call.event)
    named = submit_named(call, theme, other.short_code, " Aminata ", title="Autre")
    assert named.proposer_name == "Aminata"


def test_an_empty_title_is_a_field_error(call, theme):
    ticket = linked_ticket(call.event)
    with pytest.raises(ApplicationError) as caught:
        submit(call, theme, ticket.short_code, title="   ")
    assert "title" in caught.value.field_errors


def test_a_facilitator_types_in_at_a_table(call, theme):
    ticket = linked_ticket(call.event)
    volunteer = UserFactory()
    proposal = submit(call, theme, ticket.short_code, entered_by=volunteer)
    assert proposal.source == Proposal.Source.TABLE
    assert proposal.entered_by == volunteer


def test_a_group_proposal_keeps_its_counts_and_names_nobody(call, theme):
    proposal = services.proposal_group_enter(
        call=call,
        theme=theme,
        title="Terrain de foot",
        text="Un terrain pour tous.",
        language="ar",
        counts=[
            {"gender": "female", "age_band": "12-17", "count": 4},
            {"gender": "male", "age_band": "12-17", "count": 3},
            {"gender": "female", "age_band": "12-17", "count": 1},
            {"gender": "male", "age_band": "25-59", "count": 0},
        ],
        entered_by=UserFactory(),
    )
    assert proposal.source == Proposal.Source.GROUP
    assert proposal.participant is None and proposal.ticket is None
    cells = {(c.gender, c.age_band, c.profile): c.count for c in proposal.group_counts.all()}
    assert cells == {("female", "12-17", "undisclosed"): 5, ("male", "12-17", "undisclosed"): 3}


@pytest.mark.parametrize(
    "counts",
    [
        [],
        [{"gender": "female", "age_band": "12-17", "count": 0}],
        [{"gender": "nope", "age_band": "12-17", "count": 2}],
        [{"gender": "female", "age_band": "12-17", "count": -1}],
        [{"gender": "female", "age_band": "12-17", "count": "3"}],
        [{"gender": "female", "age_band": "12-17", "count": 501}],
    ],
)
def test_bad_group_counts_write_nothing(call, theme, counts):
    with pytest.raises(ApplicationError):
        services.proposal_group_enter(
            call=call,
            theme=theme,
            title="T",
            text="X",
            language="fr",
            counts=counts,
            entered_by=None,
        )
    assert not Proposal.objects.exists()
    assert not GroupCount.objects.exists()


def test_reject_needs_a_reason_and_keeps_it(call, theme):
    proposal = submit(call, theme, linked_ticket(call.event).short_code)
    with pytest.raises(ApplicationError):
        services.proposal_reject(proposal=proposal, reason="  ")
    rejected = services.proposal_reject(proposal=proposal, reason="Hors sujet")
    assert rejected.status == Proposal.Status.REJECTED
    assert rejected.rejection_reason == "Hors sujet"
    entry = AuditEntry.objects.get(action="proposals.proposal_rejected")
    assert entry.detail["reason"] == "Hors sujet"
    accepted = services.proposal_accept(proposal=rejected)
    assert accepted.status == Proposal.Status.ACCEPTED and accepted.rejection_reason == ""


def test_endorsing_counts_a_person_once_whatever_their_code(call, theme):
    proposal = services.proposal_accept(
        proposal=submit(call, theme, linked_ticket(call.event).short_code)
    )
    participant = ParticipantFactory(organization=call.event.organizer)
    ticket = linked_ticket(call.event, participant=participant)
    card = card_issue(participant=participant, actor=None)
    _e, created = services.proposal_endorse(proposal=proposal, code=ticket.short_code)
    _e, again = services.proposal_endorse(proposal=proposal, code=card.short_code)
    assert (created, again) == (True, False)
    assert ProposalEndorsement.objects.count() == 1


def test_only_accepted_proposals_can_be_endorsed(call, theme):
    proposal = submit(call, theme, linked_ticket(call.event).short_code)
    with pytest.raises(ApplicationError) as caught:
        services.proposal_endorse(proposal=proposal, code=linked_ticket(call.event).short_code)
    assert caught.value.code == "not_accepted"


def test_an_endorsed_proposal_is_merged_not_rejected(call, theme):
    proposal = services.proposal_accept(
        proposal=submit(call, theme, linked_ticket(call.event).short_code)
    )
    services.proposal_endorse(proposal=proposal, code=linked_ticket(call.event).short_code)
    with pytest.raises(ApplicationError) as caught:
        services.proposal_reject(proposal=proposal, reason="Doublon")
    assert caught.value.code == "proposal_endorsed"


def test_merging_moves_endorsements_and_counts_a_person_once(call, theme):
    first = services.proposal_accept(
        proposal=submit(call, theme, linked_ticket(call.event).short_code, title="A")
    )
    second = services.proposal_accept(
        proposal=submit(call, theme, linked_ticket(call.event).short_code, title="B")
    )
    both, only_second = linked_ticket(call.event), linked_ticket(call.event)
    for proposal in (first, second):
        services.proposal_endorse(proposal=proposal, code=both.short_code)
    services.proposal_endorse(proposal=second, code=only_second.short_code)
    target = services.proposal_merge(proposal=second, into=first)
    second.refresh_from_db()
    assert target == first
    assert (second.status, second.merged_into) == (Proposal.Status.MERGED, first)
    assert first.endorsements.count() == 2
    assert second.endorsements.count() == 0
    with pytest.raises(ApplicationError) as caught:
        services.proposal_merge(proposal=second, into=first)
    assert caught.value.code == "proposal_merged"


def test_merging_into_itself_or_across_calls_is_refused(call, theme):
    proposal = submit(call, theme, linked_ticket(call.event).short_code)
    with pytest.raises(ApplicationError) as caught:
        services.proposal_merge(proposal=proposal, into=proposal)
    assert caught.value.code == "merge_into_itself"
    other_theme = CallThemeFactory()
    other = submit(other_theme.call, other_theme, linked_ticket(other_theme.call.event).short_code)
    with pytest.raises(ApplicationError) as caught:
        services.proposal_merge(proposal=proposal, into=other)
    assert caught.value.code == "merge_other_call"


def test_call_open_adds_themes_once_and_reopens(event):
    call = services.call_open(event=event, themes=[{"name_fr": "Santé"}, {"name_fr": "Santé"}])
    services.call_close(call=call)
    call = services.call_open(event=event, themes=[{"name_fr": "Santé", "name_ar": "الصحة"}])
    assert call.is_open
    assert list(call.themes.values_list("name_fr", flat=True)) == ["Santé"]
    with pytest.raises(ApplicationError):
        services.call_open(event=event, themes=[{"name_fr": " "}])


def test_the_purge_forgets_names_and_photos_but_keeps_ideas(
    call, theme, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    ticket = linked_ticket(call.event)
    proposal = submit_named(call, theme, ticket.short_code, "Awa")
    proposal.photo.save("p.png", ContentFile(b"png"))
    path = proposal.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.proposals_forget(registration_ids=[ticket.attendee.registration_id])
    proposal.refresh_from_db()
    assert changed == 1
    assert (proposal.proposer_name, proposal.proposer_agreed_to_be_named) == ("", False)
    assert not proposal.photo
    assert not Path(path).exists()
    assert proposal.title == "Jardin partagé" and proposal.participant_id is not None
