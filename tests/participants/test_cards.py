"""Participant cards: one active card per participant, audited, and a reissue makes the lost card
useless."""

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from events.codes import CROCKFORD_ALPHABET
from participants.models import ParticipantCard
from participants.services.cards import card_issue, card_reissue, card_revoke
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_card_has_a_random_secret_and_a_short_code_and_is_audited():
    participant = ParticipantFactory()
    actor = UserFactory()
    card = card_issue(participant=participant, actor=actor)
    assert card.status == ParticipantCard.Status.ACTIVE
    assert len(card.secret) == 32  # 192 bits, URL-safe base64
    assert len(card.short_code) == 8 and set(card.short_code) <= set(CROCKFORD_ALPHABET)
    entry = AuditEntry.objects.get(action="participant_card.issue")
    assert entry.target_id == str(card.pk) and entry.detail == {"participant": participant.pk}


def test_a_second_active_card_is_refused():
    participant = ParticipantFactory()
    card_issue(participant=participant, actor=None)
    with pytest.raises(ApplicationError) as error:
        card_issue(participant=participant, actor=None)
    assert error.value.code == "card_exists"
    assert ParticipantCard.objects.filter(participant=participant).count() == 1


def test_the_database_holds_one_active_card_per_participant():
    from django.db import IntegrityError

    participant = ParticipantFactory()
    card_issue(participant=participant, actor=None)
    with pytest.raises(IntegrityError):
        ParticipantCard.objects.create(participant=participant, short_code="ABCD2345")


def test_reissue_revokes_the_old_card_and_draws_a_new_secret_and_code():
    participant = ParticipantFactory()
    old = card_issue(participant=participant, actor=None)
    new = card_reissue(participant=participant, actor=None)
    old.refresh_from_db()
    assert old.status == ParticipantCard.Status.REVOKED and old.revoked_at is not None
    assert new.status == ParticipantCard.Status.ACTIVE
    assert new.secret != old.secret and new.short_code != old.short_code
    assert AuditEntry.objects.get(action="participant_card.reissue").detail["revoked"] == [old.pk]


def test_revoke_is_audited_once():
    card = card_issue(participant=ParticipantFactory(), actor=None)
    card_revoke(card=card, actor=None)
    card_revoke(card=card, actor=None)
    card.refresh_from_db()
    assert card.status == ParticipantCard.Status.REVOKED
    assert AuditEntry.objects.filter(action="participant_card.revoke").count() == 1


def test_a_merged_participants_card_goes_to_the_one_they_were_merged_into():
    kept = ParticipantFactory()
    merged = ParticipantFactory(organization=kept.organization, merged_into=kept)
    card = card_issue(participant=merged, actor=None)
    assert card.participant_id == kept.pk


def test_the_card_page_is_private_and_gone_after_a_revoke(client):
    card = card_issue(participant=ParticipantFactory(), actor=None)
    response = client.get(f"/cards/{card.secret}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(f"/cards/{card.secret}/qr.png")["Content-Type"] == "image/png"
    card_revoke(card=card, actor=None)
    assert client.get(f"/cards/{card.secret}/").status_code == 404


@pytest.mark.parametrize("layout", ["a6", "a4"])
def test_an_organizer_prints_the_card_of_a_participant_of_their_organisation(client, layout):
    from tests.factories import MembershipFactory

    participant = ParticipantFactory()
    card_issue(participant=participant, actor=None)
    client.force_login(MembershipFactory(organization=participant.organization).user)
    response = client.get(f"/organizer/participants/{participant.pk}/card.pdf?layout={layout}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(MembershipFactory().user)  # another organisation's organizer
    assert client.get(f"/organizer/participants/{participant.pk}/card.pdf").status_code == 404
