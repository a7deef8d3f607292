"""Participants' proposals put to partner organisations, and their answers: only an accepted
proposal, only to organisations of the event's network, by the organizer of the event (page and
API); a response names exactly one subject, once per organisation (in the database); a partner
answers (position, commitments, updates) only what is addressed to their own organisation, and
sees a proposer's name only when the proposer agreed to it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEntry, Organization
from forums.models import Commitment, CommitmentUpdate, Position, Response
from forums.partners import partner_link_token
from forums.services_responses import response_submit
from proposals import services as proposal_services
from proposals.models import ProposalAddressee
from proposals.services_addressing import proposal_address
from tests.factories import ContactFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.forums.conftest import (
    PDF,
    assert_another_organisation_reaches_nothing,
    commitment_refusal,
)

pytestmark = pytest.mark.django_db


def _addressed(proposal) -> set[int]:
    return set(proposal.addressees.values_list("organization_id", flat=True))


# Addressing ---------------------------------------------------------------------------------


def test_only_an_accepted_proposal_can_be_addressed(forum, forum_proposals):
    with pytest.raises(ApplicationError) as error:
        proposal_address(proposal=forum_proposals.waiting, organization_ids=[forum.commune.pk])
    assert error.value.code == "proposal_not_accepted" and error.value.status == 409
    assert not forum_proposals.waiting.addressees.exists()


def test_only_organisations_of_the_events_network_can_be_asked(forum, forum_proposals):
    """The programme's partners and the event's co-organisers; not any organisation, not a
    donor (even one listed among the partners)."""
    stranger = OrganizationFactory(name="Autre association")
    donor = OrganizationFactory(kind=Organization.Kind.DONOR)
    forum.event.programme.partners.add(donor)
    garden = forum_proposals.garden
    before = _addressed(garden)
    for outsider in (stranger, donor):
        with pytest.raises(ApplicationError) as error:
            proposal_address(proposal=garden, organization_ids=[forum.education.pk, outsider.pk])
        assert error.value.code == "not_in_network"
        assert "addressed_to" in error.value.field_errors
    assert _addressed(garden) == before
    # The region co-organises the forum: it is part of the network.
    proposal_address(proposal=garden, organization_ids=[forum.region.pk, forum.education.pk])
    assert _addressed(garden) == {forum.region.pk, forum.education.pk}


def test_saving_the_same_choice_keeps_when_each_organisation_was_asked(forum, forum_proposals):
    garden = forum_proposals.garden
    asked = dict(garden.addressees.values_list("organization_id", "addressed_at"))
    later = timezone.now() + datetime.timedelta(days=3)
    proposal_address(
        proposal=garden,
        organization_ids=[forum.education.pk, forum.commune.pk, forum.health.pk],
        now=later,
    )
    again = dict(garden.addressees.values_list("organization_id", "addressed_at"))
    assert again[forum.education.pk] == asked[forum.education.pk]
    assert again[forum.health.pk] == later
    audits = AuditEntry.objects.filter(action="proposals.proposal_addressed").count()
    proposal_address(
        proposal=garden,
        organization_ids=[forum.education.pk, forum.commune.pk, forum.health.pk],
        now=later + datetime.timedelta(days=1),
    )
    assert AuditEntry.objects.filter(action="proposals.proposal_addressed").count() == audits
    proposal_address(proposal=garden, organization_ids=[])
    assert not garden.addressees.exists()


def test_the_organizer_addresses_from_the_moderation_page(client, forum, forum_proposals):
    event, library = forum.event, forum_proposals.library
    client.force_login(MembershipFactory(organization=event.organizer).user)
    page = client.get(f"/organizer/events/{event.pk}/proposals/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Ask partners to answer" in html
    assert f'name="addressed_to" value="{forum.health.pk}" checked' in html
    url = f"/organizer/events/{event.pk}/proposals/{library.pk}/address/"
    answer = client.post(url, {"addressed_to": [forum.health.pk, forum.commune.pk]})
    assert answer.status_code == 302
    assert _addressed(library) == {forum.health.pk, forum.commune.pk}
    # A forged value is a message, not a 500, and changes nothing.
    for forged in ("abc", "²", "9" * 30):
        answer = client.post(url, {"addressed_to": [forged]}, follow=True)
        assert answer.status_code == 200
    assert _addressed(library) == {forum.health.pk, forum.commune.pk}
    # Another NGO's organizer reaches neither the page nor the action.
    client.force_login(MembershipFactory(organization=OrganizationFactory()).user)
    assert client.post(url, {"addressed_to": []}).status_code == 404
    assert _addressed(library) == {forum.health.pk, forum.commune.pk}


def test_the_api_addresses_an_accepted_proposal(client, forum, forum_proposals):
    garden = forum_proposals.garden
    url = f"/api/v1/proposals/{garden.pk}/addressees"
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    answer = client.put(
        url, {"organization_ids": [forum.health.pk]}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["addressed_to_ids"] == [forum.health.pk]
    outsider = OrganizationFactory()
    answer = client.put(url, {"organization_ids": [outsider.pk]}, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "not_in_network"
    waiting = f"/api/v1/proposals/{forum_proposals.waiting.pk}/addressees"
    answer = client.put(
        waiting, {"organization_ids": [forum.health.pk]}, content_type="application/json"
    )
    assert answer.status_code == 409
    client.force_login(MembershipFactory(organization=OrganizationFactory()).user)
    answer = client.put(url, {"organization_ids": []}, content_type="application/json")
    assert answer.status_code == 404
    assert _addressed(garden) == {forum.health.pk}


def test_merging_into_an_accepted_proposal_carries_its_addressees(forum, forum_proposals):
    garden, library = forum_proposals.garden, forum_proposals.library
    proposal_services.proposal_merge(proposal=library, into=garden)
    assert _addressed(garden) == {forum.education.pk, forum.commune.pk, forum.health.pk}


# The response's subject, in the database -----------------------------------------------------


def test_a_response_names_exactly_one_subject_once_per_organisation(forum, forum_proposals):
    garden, rec = forum_proposals.garden, forum.recommendations["enrol"]
    common = {
        "organization": forum.education,
        "position": Position.ACCEPTED,
        "answered_at": timezone.now(),
    }
    for subjects in ({}, {"recommendation": rec, "proposal": garden}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(**subjects, **common)
    first = Response.objects.create(proposal=garden, **common)
    assert (first.subject, first.subject_kind) == (garden, "proposal")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(proposal=garden, **common)
    # The same organisation answers a recommendation beside it, and another one the proposal.
    Response.objects.create(recommendation=rec, **common)
    Response.objects.create(proposal=garden, **{**common, "organization": forum.commune})
    assert Response.objects.filter(proposal=garden).count() == 2


# The partner's answers -----------------------------------------------------------------------


@pytest.fixture
def education_user(forum):
    user = UserFactory(is_staff=False)
    ContactFactory(organization=forum.education, user=user, preferred_language="fr")
    return user


def test_partner_lists_only_the_proposals_addressed_to_them(
    client, forum_proposals, education_user
):
    client.force_login(education_user)
    page = client.get(reverse("forums:partner_answers_session")).content.decode()
    assert forum_proposals.garden.title in page
    assert forum_proposals.library.title not in page  # addressed to health only
    assert forum_proposals.waiting.title not in page
    assert "1 proposition attend votre réponse." in page


def test_partner_answers_a_proposal_with_a_position_a_commitment_and_updates(
    client, forum, forum_proposals, education_user
):
    client.force_login(education_user)
    garden = forum_proposals.garden
    answer_url = reverse("forums:partner_proposal_answer_session", args=[garden.pk])
    declined = client.post(answer_url, {"position": "declined", "reasons": " "})
    assert declined.status_code == 400
    assert "Dites pourquoi la proposition est refusée." in declined.content.decode()
    assert client.post(answer_url, {"position": "accepted"}).status_code == 302
    response = Response.objects.get(proposal=garden, organization=forum.education)
    assert (response.position, response.recommendation) == ("accepted", None)
    added = client.post(
        reverse("forums:partner_proposal_commitment_add_session", args=[garden.pk]),
        {"what": "Terrain prêté par la commune", "by_whom": "Service", "due_on": "2027-04-30"},
    )
    assert added.status_code == 302
    commitment = Commitment.objects.get(response=response)
    update_url = reverse("forums:partner_commitment_update_session", args=[commitment.pk])
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    moved = client.post(update_url, {"state": "in_progress", "note": "Visite", "document": upload})
    assert moved.status_code == 302 and moved["Location"] == answer_url
    update = CommitmentUpdate.objects.get(commitment=commitment)
    document = client.get(reverse("forums:partner_document_session", args=[update.pk]))
    assert document.status_code == 200 and document.content == PDF
    page = client.get(answer_url).content.decode()
    assert "Terrain prêté par la commune" in page and "Visite" in page


def test_a_declined_proposal_takes_no_commitment(forum, forum_proposals):
    contact = ContactFactory(organization=forum.education)
    garden = forum_proposals.garden
    assert commitment_refusal(contact, garden) == "no_response"
    response_submit(contact=contact, proposal_id=garden.pk, position="declined", reasons="Non")
    assert commitment_refusal(contact, garden) == "declined"


def test_another_organisation_reaches_nothing_of_the_proposal(client, forum, forum_proposals):
    """Health's contact, by session or by link, cannot read, answer, commit or download on a
    proposal addressed to education and the commune."""
    garden = forum_proposals.garden
    health, commitment = assert_another_organisation_reaches_nothing(
        client, garden, owner=ContactFactory(organization=forum.education), other=forum.health
    )
    with pytest.raises(ApplicationError) as error:
        response_submit(contact=health, proposal_id=garden.pk, position="declined", reasons="x")
    assert error.value.code == "not_addressed"
    assert Response.objects.get(proposal=garden).position == "accepted"
    assert CommitmentUpdate.objects.count() == 1 and commitment.updates.get().state == "in_progress"


def test_a_proposal_no_longer_accepted_is_no_longer_answerable(client, forum, forum_proposals):
    garden = forum_proposals.garden
    education = ContactFactory(organization=forum.education)
    proposal_services.proposal_reject(proposal=garden, reason="Doublon")
    with pytest.raises(ApplicationError) as error:
        response_submit(contact=education, proposal_id=garden.pk, position="accepted")
    assert error.value.code == "not_addressed"
    token = partner_link_token(contact=education)
    url = reverse("forums:partner_proposal_answer", args=[token, garden.pk])
    assert client.get(url).status_code == 404


def test_the_proposer_is_named_to_partners_only_when_they_agreed(client, forum, forum_proposals):
    health = ContactFactory(organization=forum.health)
    library_url = reverse(
        "forums:partner_proposal_answer",
        args=[partner_link_token(contact=health), forum_proposals.library.pk],
    )
    assert forum_proposals.named in client.get(library_url).content.decode()
    education = ContactFactory(organization=forum.education)
    token = partner_link_token(contact=education)
    pages = [
        client.get(reverse("forums:partner_answers", args=[token])).content.decode(),
        client.get(
            reverse("forums:partner_proposal_answer", args=[token, forum_proposals.garden.pk])
        ).content.decode(),
    ]
    assert forum_proposals.garden.title in pages[1]
    for page in pages:
        for personal in [forum_proposals.named, *forum.personal_data]:
            assert personal not in page


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_the_partner_reads_the_proposal_in_their_language(
    client, forum, forum_proposals, language, direction
):
    contact = ContactFactory(organization=forum.education, preferred_language=language)
    token = partner_link_token(contact=contact)
    page = client.get(
        reverse("forums:partner_proposal_answer", args=[token, forum_proposals.garden.pk])
    ).content.decode()
    assert f'dir="{direction}"' in page
    label = {"fr": "Une proposition de participants", "ar": "مقترح من المشاركين"}
    assert label.get(language, "A participants' proposal") in page


def test_addressees_are_kept_per_proposal_and_organisation(forum, forum_proposals):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalAddressee.objects.create(
            proposal=forum_proposals.garden,
            organization=forum.education,
            addressed_at=timezone.now(),
        )
