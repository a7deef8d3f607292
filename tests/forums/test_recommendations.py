import pytest
from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from core.models import AuditEntry, Membership
from events.codes import format_short_code
from events.models import EventStatus
from forums import services
from forums.models import Endorsement, Recommendation
from tests.factories import (
    ForumEventFactory,
    RecommendationFactory,
    ThemeFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_rapporteur_creates_draft_then_organizer_adopts(forum, organizer):
    theme = forum.recommendations["enrol"].theme
    rec = services.recommendation_create(
        event=forum.event,
        user=organizer,
        theme=theme,
        text="  Former les enseignants  ",
        language="fr",
        addressed_to=[forum.education],
    )
    assert rec.status == Recommendation.Status.DRAFT
    assert rec.text == "Former les enseignants"
    assert list(rec.addressed_to.all()) == [forum.education]
    services.recommendation_adopt(recommendation=rec, user=organizer)
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ADOPTED and rec.decided_at is not None
    assert AuditEntry.objects.filter(action="forums.recommendation_adopted").exists()


def test_proposer_name_is_dropped_without_consent(forum):
    rec = services.recommendation_create(
        event=forum.event,
        theme=forum.recommendations["enrol"].theme,
        text="Texte",
        language="fr",
        proposer_name="Ousmane Ba",
        proposer_agreed_to_be_named=False,
    )
    assert rec.proposer_name == ""


def test_database_refuses_a_name_without_consent(forum):
    rec = forum.recommendations["draft"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=rec.pk).update(proposer_name="Ousmane Ba")


def test_theme_of_another_forum_is_refused(forum):
    other_theme = ThemeFactory()
    with pytest.raises(ApplicationError) as exc:
        services.recommendation_create(
            event=forum.event, theme=other_theme, text="x", language="fr"
        )
    assert "theme" in exc.value.field_errors


def test_no_new_recommendation_once_the_forum_is_closed(forum):
    forum.event.status = EventStatus.CLOSED
    forum.event.save()
    with pytest.raises(ApplicationError) as exc:
        services.recommendation_create(
            event=forum.event, theme=forum.recommendations["draft"].theme, text="x", language="fr"
        )
    assert exc.value.code == "forum_closed"


def test_rejecting_an_endorsed_recommendation_is_refused(forum):
    rec = forum.recommendations["clinic"]
    services.endorsement_add(recommendation=rec, ticket=forum.tickets[0])
    with pytest.raises(ApplicationError) as exc:
        services.recommendation_reject(recommendation=rec)
    assert exc.value.code == "recommendation_endorsed"


def test_rejected_recommendation_can_be_adopted_again_but_merged_cannot_change(forum):
    draft = forum.recommendations["draft"]
    services.recommendation_reject(recommendation=draft)
    services.recommendation_adopt(recommendation=draft)
    services.recommendation_merge(recommendation=draft, into=forum.recommendations["clinic"])
    draft.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.recommendation_adopt(recommendation=draft)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(ApplicationError):
        services.recommendation_update(recommendation=draft, data={"text": "new"})


def test_merge_moves_endorsements_without_counting_a_ticket_twice(forum):
    source, target = forum.recommendations["tutor"], forum.recommendations["enrol"]
    first, second, third = forum.tickets
    for ticket in (first, second):
        services.endorsement_add(recommendation=source, ticket=ticket)
    for ticket in (second, third):
        services.endorsement_add(recommendation=target, ticket=ticket)

    result = services.recommendation_merge(recommendation=source, into=target)

    assert result == target
    assert sorted(target.endorsements.values_list("ticket_id", flat=True)) == sorted(
        t.pk for t in forum.tickets
    )
    source.refresh_from_db()
    assert source.status == Recommendation.Status.MERGED and source.merged_into == target
    assert not source.endorsements.exists()
    assert set(target.addressed_to.all()) >= set(source.addressed_to.all())


def test_merge_chain_points_to_the_final_target(forum):
    a, b, c = (forum.recommendations[k] for k in ("draft", "clinic", "enrol"))
    services.recommendation_merge(recommendation=a, into=b)
    services.recommendation_merge(recommendation=b, into=c)
    a.refresh_from_db()
    assert a.merged_into == c


@pytest.mark.parametrize("case", ["itself", "other_forum", "into_rejected"])
def test_invalid_merges_are_refused(forum, case):
    rec = forum.recommendations["clinic"]
    if case == "itself":
        target = rec
    elif case == "other_forum":
        target = RecommendationFactory()
    else:
        target = forum.recommendations["draft"]
        services.recommendation_reject(recommendation=target)
    with pytest.raises(ApplicationError):
        services.recommendation_merge(recommendation=rec, into=target)
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ADOPTED


def test_only_a_draft_can_be_deleted(forum):
    with pytest.raises(ApplicationError):
        services.recommendation_delete(recommendation=forum.recommendations["clinic"])
    services.recommendation_delete(recommendation=forum.recommendations["draft"])
    assert not Recommendation.objects.filter(text="Brouillon jamais adopté").exists()


# Endorsements -----------------------------------------------------------------------------------


def test_one_endorsement_per_ticket_per_recommendation(forum):
    rec, ticket = forum.recommendations["clinic"], forum.tickets[0]
    _first, created = services.endorsement_add(recommendation=rec, ticket=ticket)
    _again, created_again = services.endorsement_add(recommendation=rec, ticket=ticket)
    assert (created, created_again) == (True, False)
    assert rec.endorsements.count() == 1


def test_database_refuses_a_second_endorsement_by_the_same_ticket(forum):
    rec, ticket = forum.recommendations["clinic"], forum.tickets[0]
    Endorsement.objects.create(recommendation=rec, ticket=ticket)
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(recommendation=rec, ticket=ticket)


def test_draft_recommendation_cannot_be_endorsed(forum):
    with pytest.raises(ApplicationError) as exc:
        services.endorsement_add(
            recommendation=forum.recommendations["draft"], ticket=forum.tickets[0]
        )
    assert exc.value.code == "not_adopted"


def test_ticket_of_another_event_cannot_endorse(forum):
    stranger = TicketFactory()
    with pytest.raises(ApplicationError) as exc:
        services.endorsement_add(recommendation=forum.recommendations["clinic"], ticket=stranger)
    assert exc.value.status == 403


def test_ticket_is_found_by_typed_short_code_or_scanned_secret(forum):
    ticket = forum.tickets[1]
    typed = format_short_code(ticket.short_code).lower().replace("-", " ")
    assert services.endorsement_ticket_find(event=forum.event, code=typed) == ticket
    assert services.endorsement_ticket_find(event=forum.event, code=ticket.secret) == ticket
    with pytest.raises(ApplicationError) as exc:
        services.endorsement_ticket_find(event=ForumEventFactory(), code=ticket.secret)
    assert exc.value.code == "unknown_ticket"


def test_cancelled_ticket_is_not_found(forum):
    ticket = forum.tickets[0]
    ticket.status = ticket.Status.CANCELLED
    ticket.save()
    with pytest.raises(ApplicationError):
        services.endorsement_ticket_find(event=forum.event, code=ticket.short_code)


def test_rapporteur_assignment_gives_a_rapporteur_membership(forum):
    user = UserFactory()
    assignment = services.rapporteur_assign(event=forum.event, user=user)
    assert assignment.event == forum.event
    assert Membership.objects.filter(
        user=user, organization=forum.event.organizer, role=Membership.Role.RAPPORTEUR
    ).exists()
    services.rapporteur_assign(event=forum.event, user=user)
    assert forum.event.rapporteur_assignments.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_taps_of_the_same_ticket_count_once(forum):
    from tests.concurrency import run_together

    rec, ticket = forum.recommendations["clinic"], forum.tickets[0]
    answers, errors = run_together(
        [lambda: services.endorsement_add(recommendation=rec, ticket=ticket)] * 6
    )
    assert errors == []
    outcomes = [created for _endorsement, created in answers]
    assert sorted(outcomes) == [False] * 5 + [True]
    assert Endorsement.objects.filter(recommendation=rec).count() == 1
