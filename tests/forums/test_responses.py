"""Institutions answer the recommendations addressed to them through the partner portal: a
position (with reasons when declining), commitments and their updates with a checked document.
A partner reaches only what is addressed to their organisation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import ApplicationError
from forums.models import Commitment, CommitmentUpdate, Response
from forums.services_responses import commitment_update_add, response_submit
from tests.factories import ContactFactory, UserFactory, commitment_accepted
from tests.forums.conftest import (
    PDF,
    assert_another_organisation_reaches_nothing,
    commitment_refusal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def education_user(closed_forum):
    user = UserFactory(is_staff=False)
    ContactFactory(organization=closed_forum.education, user=user, preferred_language="fr")
    return user


def _answer_url(rec, token=None):
    if token:
        return reverse("forums:partner_answer", args=[token, rec.pk])
    return reverse("forums:partner_answer_session", args=[rec.pk])


def test_partner_lists_only_the_recommendations_addressed_to_them(
    client, closed_forum, education_user
):
    client.force_login(education_user)
    page = client.get(reverse("forums:partner_answers_session")).content.decode()
    recs = closed_forum.recommendations
    assert recs["enrol"].text in page and recs["tutor"].text in page
    assert recs["clinic"].text not in page  # addressed to health only
    assert "2 recommandations attendent votre réponse." in page


def test_partner_answers_with_a_position_then_a_commitment_then_updates(
    client, closed_forum, education_user
):
    client.force_login(education_user)
    rec = closed_forum.recommendations["enrol"]
    answer = client.post(_answer_url(rec), {"position": "accepted", "reasons": "Circulaire 2026"})
    assert answer.status_code == 302
    response = Response.objects.get(recommendation=rec, organization=closed_forum.education)
    assert response.position == "accepted"
    added = client.post(
        reverse("forums:partner_commitment_add_session", args=[rec.pk]),
        {"what": "Note aux écoles", "by_whom": "Service scolarité", "due_on": "2027-01-31"},
    )
    assert added.status_code == 302
    commitment = Commitment.objects.get(response=response)
    assert (commitment.state, commitment.due_on) == ("planned", datetime.date(2027, 1, 31))
    update_url = reverse("forums:partner_commitment_update_session", args=[commitment.pk])
    upload = SimpleUploadedFile("note écoles.pdf", PDF, content_type="application/pdf")
    moved = client.post(update_url, {"state": "in_progress", "note": "Envoyée", "document": upload})
    assert moved.status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == "in_progress"
    update = CommitmentUpdate.objects.get(commitment=commitment)
    document = client.get(reverse("forums:partner_document_session", args=[update.pk]))
    assert document.status_code == 200 and document.content == PDF
    assert document["Content-Type"] == "application/pdf"
    client.post(update_url, {"state": "done", "note": "Toutes les écoles"})
    commitment.refresh_from_db()
    assert commitment.state == "done"
    page = client.get(_answer_url(rec)).content.decode()
    assert "Note aux écoles" in page and "Toutes les écoles" in page


def test_a_second_answer_replaces_the_first(closed_forum):
    contact = ContactFactory(organization=closed_forum.education)
    rec = closed_forum.recommendations["enrol"]
    response_submit(contact=contact, recommendation_id=rec.pk, position="under_study")
    response_submit(contact=contact, recommendation_id=rec.pk, position="accepted")
    assert Response.objects.get(recommendation=rec).position == "accepted"


def test_declining_needs_reasons_and_shows_the_form_error(client, closed_forum, education_user):
    client.force_login(education_user)
    rec = closed_forum.recommendations["enrol"]
    answer = client.post(_answer_url(rec), {"position": "declined", "reasons": "  "})
    assert answer.status_code == 400
    assert "Dites pourquoi la recommandation est refusée." in answer.content.decode()
    assert not Response.objects.exists()


def test_a_declined_recommendation_takes_no_commitment(closed_forum):
    contact = ContactFactory(organization=closed_forum.education)
    rec = closed_forum.recommendations["enrol"]
    response_submit(
        contact=contact, recommendation_id=rec.pk, position="declined", reasons="Hors compétence"
    )
    assert commitment_refusal(contact, rec) == "declined"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("script.pdf", b"<script>alert(1)</script>", "document_type"),
        ("photo.png", b"GIF89a....", "document_type"),
        ("big.pdf", PDF + b"0" * 2048, "document_size"),
    ],
)
def test_documents_are_checked_by_content_and_size(closed_forum, settings, name, content, code):
    settings.FORUMS_DOCUMENT_MAX_BYTES = 1024
    contact = ContactFactory(organization=closed_forum.education)
    rec = closed_forum.recommendations["enrol"]
    commitment = commitment_accepted(contact, rec)
    with pytest.raises(ApplicationError) as error:
        commitment_update_add(
            contact=contact,
            commitment_id=commitment.pk,
            state="in_progress",
            document=SimpleUploadedFile(name, content),
        )
    assert error.value.code == code
    assert not CommitmentUpdate.objects.exists()


def test_a_bad_document_is_a_form_error_not_a_500(client, closed_forum, education_user):
    client.force_login(education_user)
    contact = education_user.partner_contact
    rec = closed_forum.recommendations["enrol"]
    commitment = commitment_accepted(contact, rec)
    answer = client.post(
        reverse("forums:partner_commitment_update_session", args=[commitment.pk]),
        {"state": "done", "document": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
    )
    assert answer.status_code == 400
    commitment.refresh_from_db()
    assert commitment.state == "planned"


def test_another_organisation_reaches_nothing_of_education(client, closed_forum):
    """Health's contact, by session or by link, cannot read, answer, commit or download on a
    recommendation addressed to education only."""
    rec = closed_forum.recommendations["tutor"]
    health, _commitment = assert_another_organisation_reaches_nothing(
        client,
        rec,
        owner=ContactFactory(organization=closed_forum.education),
        other=closed_forum.health,
    )
    with pytest.raises(ApplicationError):
        response_submit(contact=health, recommendation_id=rec.pk, position="declined", reasons="x")
    assert Response.objects.get(recommendation=rec).position == "accepted"
    assert CommitmentUpdate.objects.count() == 1


def test_a_draft_recommendation_cannot_be_answered(closed_forum):
    contact = ContactFactory(organization=closed_forum.education)
    draft = closed_forum.recommendations["draft"]
    draft.addressed_to.add(closed_forum.education)
    with pytest.raises(ApplicationError) as error:
        response_submit(contact=contact, recommendation_id=draft.pk, position="accepted")
    assert error.value.code == "not_addressed"
