"""The privacy sweep of the institutions' answers: participants' data, contacts' names and
addresses, the person a commitment names and the notes and documents a partner attaches reach
neither the public follow-up page, nor the follow-up report, nor the reminders, nor another
organisation's partner pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forums.followup_delivery import followup_report_build
from forums.followup_report import followup_html_render, followup_pdf_render
from forums.models import ForumSummary
from forums.partners import partner_link_token
from forums.reminders import forum_partner_reminders_send
from forums.services_responses import commitment_update_add
from notifications.models import Message, Purpose
from proposals.models import ProposalAddressee
from tests.factories import (
    ContactFactory,
    ForumEventFactory,
    ForumSettingsFactory,
    commitment_accepted,
)
from tests.forums.conftest import partner_route
from tests.pdf_text import pdf_lines

pytestmark = pytest.mark.django_db
CANARY_CONTACT, CANARY_CIVIL_SERVANT = "Canarykarima", "Canaryalaoui"
CANARY_NOTE, CANARY_EMAIL = "Canarynotefatima", "canary.dpen@example.ma"


CANARIES = [CANARY_CONTACT, CANARY_CIVIL_SERVANT, CANARY_NOTE, CANARY_EMAIL, "661000777"]


def canary_contact_commits(forum, subject, *, what):
    """Education's contact, named and reachable by canaries, accepts `subject`, commits to `what`
    with a canary civil servant, and adds an update with a canary note and document."""
    education = ContactFactory(
        organization=forum.education,
        name=CANARY_CONTACT,
        email=CANARY_EMAIL,
        phone="+212661000777",
    )
    commitment = commitment_accepted(education, subject, what=what, by_whom=CANARY_CIVIL_SERVANT)
    commitment_update_add(
        contact=education,
        commitment_id=commitment.pk,
        state="in_progress",
        note=CANARY_NOTE,
        document=SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + CANARY_NOTE.encode()),
    )


def public_outputs(client, event) -> dict[str, str]:
    """The public follow-up page and the next forum's report, in every language."""
    outputs = {}
    for language in ("fr", "ar", "en"):
        outputs[f"public {language}"] = client.get(
            f"/forums/{event.pk}/followup/public/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    later = event.start_date + datetime.timedelta(days=200)
    report = followup_report_build(
        event=ForumEventFactory(programme=event.programme, start_date=later, end_date=later)
    )
    for language in ("fr", "ar", "en"):
        outputs[f"report html {language}"] = followup_html_render(report.data, language=language)
        outputs[f"report pdf {language}"] = "\n".join(
            pdf_lines(followup_pdf_render(report.data, language=language))
        )
    outputs["report data"] = str(report.data)
    return outputs


def partner_pages(client, contact, subject) -> tuple[str, str, str]:
    """(the contact's signed link token, its list of answers, its answer page of `subject`)."""
    token = partner_link_token(contact=contact)
    answers = client.get(reverse("forums:partner_answers", args=[token])).content.decode()
    answer = client.get(
        reverse(partner_route(subject, "answer"), args=[token, subject.pk])
    ).content.decode()
    return token, answers, answer


def reminders_text(event, recipient) -> str:
    forum_partner_reminders_send(event=event)
    reminders = Message.objects.filter(purpose=Purpose.PARTNER_REMINDER, recipient=recipient)
    assert reminders.exists()
    return "\n".join(f"{m.subject}\n{m.body}\n{m.payload}" for m in reminders)


def assert_no_canary(outputs, canaries):
    for where, text in outputs.items():
        for canary in canaries:
            assert canary not in text, f"{canary!r} in {where}"


def test_answers_leak_no_personal_data(closed_forum):
    event = closed_forum.event
    ForumSettingsFactory(event=event, followup_public=True, response_due_days=1)
    ForumSummary.objects.filter(event=event).update(
        released_at=timezone.now() - datetime.timedelta(days=2)
    )
    rec = closed_forum.recommendations["enrol"]
    canary_contact_commits(closed_forum, rec, what="Circulaire")
    canaries = [*CANARIES, *closed_forum.personal_data]
    anonymous = Client()
    outputs = public_outputs(anonymous, event)
    # Health's contact, addressed by another recommendation, opens its own pages.
    health = ContactFactory(organization=closed_forum.health, email="ds@example.ma")
    token, outputs["health answers"], outputs["health answer"] = partner_pages(
        anonymous, health, closed_forum.recommendations["clinic"]
    )
    # And through the API, with the same link's token.
    api = {"HTTP_X_PARTNER_TOKEN": token}
    outputs["health api addressed"] = anonymous.get(
        "/api/v1/partner/addressed", **api
    ).content.decode()
    outputs["health api enrol"] = anonymous.get(
        f"/api/v1/partner/addressed/recommendation/{rec.pk}/response", **api
    ).content.decode()
    assert "Ouvrir une permanence" in outputs["health api addressed"]
    # Health's reminder (education's greets its own contact by name, as it should).
    outputs["reminders"] = reminders_text(event, "ds@example.ma")
    assert "Circulaire" in outputs["public fr"] and "Circulaire" in outputs["report html ar"]
    assert_no_canary(outputs, canaries)


def test_answers_to_proposals_leak_no_personal_data(forum_proposals, closed_forum):
    """The same sweep over participants' proposals put to partners: the public page, the next
    forum's report, the reminders and another organisation's partner pages name no participant
    (not even one who agreed to be named on their proposal), no contact, no civil servant, no
    note; the proposer who agreed is named only on the pages of the organisation asked."""
    event = closed_forum.event
    ForumSettingsFactory(event=event, followup_public=True, response_due_days=1)
    ProposalAddressee.objects.update(addressed_at=timezone.now() - datetime.timedelta(days=2))
    garden = forum_proposals.garden
    canary_contact_commits(closed_forum, garden, what="Parcelle prêtée")
    canaries = [*CANARIES, forum_proposals.named, *closed_forum.personal_data]
    anonymous = Client()
    outputs = public_outputs(anonymous, event)
    # The commune, asked about the garden too, opens its own pages.
    commune = ContactFactory(organization=closed_forum.commune, email="commune@example.ma")
    _token, outputs["commune answers"], outputs["commune answer"] = partner_pages(
        anonymous, commune, garden
    )
    outputs["reminders"] = reminders_text(event, "commune@example.ma")
    assert "Parcelle prêtée" in outputs["public ar"] and "Parcelle prêtée" in outputs["report data"]
    assert garden.title in outputs["commune answer"]
    assert_no_canary(outputs, canaries)
    # Health was asked about the library, whose proposer agreed to be named: only there.
    health = ContactFactory(organization=closed_forum.health)
    page = anonymous.get(
        reverse(
            "forums:partner_proposal_answer",
            args=[partner_link_token(contact=health), forum_proposals.library.pk],
        )
    ).content.decode()
    assert forum_proposals.named in page
