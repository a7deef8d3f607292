"""Participants' proposals put to partners on the follow-up pages: the response rates by type of
organisation against a hand-counted ground truth, the per-forum and per-programme pages and
their overdue list, the opt-in public page, the network directory, and the next forum's
follow-up report (HTML and PDF read back as text), none of them naming a participant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Organization
from forums.followup_delivery import followup_report_build
from forums.followup_report import followup_html_render, followup_pdf_render
from forums.selectors_followup import proposal_followup_rows, response_rates_by_kind
from forums.services_responses import response_submit
from proposals import services as proposal_services
from proposals.models import ProposalAddressee
from proposals.services_addressing import proposal_address
from tests.factories import (
    CallThemeFactory,
    ContactFactory,
    EventFactory,
    ForumSettingsFactory,
    MembershipFactory,
    OrganizationFactory,
    TicketFactory,
    commitment_accepted,
)
from tests.forums.conftest import next_forum_of, organizer_followup_page, overdue_commitment
from tests.pdf_text import line_with, pdf_lines

pytestmark = pytest.mark.django_db
Kind = Organization.Kind


def _accepted(call, title: str):
    """An accepted proposal of `call`, submitted with a fresh ticket of its event."""
    ticket = TicketFactory(attendee__registration__event=call.event)
    proposal = proposal_services.proposal_submit(
        call=call,
        code=ticket.short_code,
        theme=call.themes.first(),
        title=title,
        text=f"{title}, en détail.",
        language="fr",
    )
    return proposal_services.proposal_accept(proposal=proposal)


def _answer(organization, proposal, position="accepted"):
    response_submit(
        contact=ContactFactory(organization=organization),
        proposal_id=proposal.pk,
        position=position,
        reasons="Hors compétence" if position == "declined" else "",
    )


def test_response_rates_by_type_count_proposals_apart_against_the_hand_count(
    forum, forum_proposals
):
    """Ground truth. State services (education, health, two more): asked 5 times about the
    forum's proposals, answered 3; the commune asked once at the forum and once at another event
    of the programme, answered both; another programme's proposals never count, nor do the
    recommendations' figures change."""
    Organization.objects.filter(pk__in=[forum.education.pk, forum.health.pk]).update(
        kind=Kind.STATE_SERVICE
    )
    Organization.objects.filter(pk=forum.commune.pk).update(kind=Kind.COMMUNE)
    programme = forum.event.programme
    extra_a, extra_b = (OrganizationFactory(kind=Kind.STATE_SERVICE) for _ in range(2))
    programme.partners.add(extra_a, extra_b)
    call = forum_proposals.call
    garden = forum_proposals.garden  # asked: education, commune (the library: health)
    school = _accepted(call, "Cours du soir")
    bus = _accepted(call, "Navette")
    proposal_address(proposal=school, organization_ids=[forum.education.pk, extra_a.pk])
    proposal_address(proposal=bus, organization_ids=[extra_b.pk])
    # Another event of the programme (a workshop, not a forum) and another programme.
    workshop = CallThemeFactory(call__event=EventFactory(programme=programme)).call
    market = _accepted(workshop, "Marché solidaire")
    proposal_address(proposal=market, organization_ids=[forum.commune.pk])
    elsewhere = CallThemeFactory().call
    elsewhere.event.programme.partners.add(forum.commune, extra_a)
    far = _accepted(elsewhere, "Ailleurs")
    proposal_address(proposal=far, organization_ids=[forum.commune.pk, extra_a.pk])
    for organization, proposal, position in [
        (forum.education, garden, "accepted"),
        (forum.education, school, "under_study"),
        (extra_b, bus, "declined"),
        (forum.commune, garden, "accepted"),
        (forum.commune, market, "accepted"),
        (forum.commune, far, "accepted"),
        (extra_a, far, "accepted"),
    ]:
        _answer(organization, proposal, position)
    # State pairs at the forum: garden-edu, library-health, school-edu, school-A, bus-B = 5.

    def rates(**scope):
        return {
            rate.kind: (
                rate.answered,
                rate.expected,
                rate.proposals_answered,
                rate.proposals_expected,
            )
            for rate in response_rates_by_kind(**scope)
        }

    # The forum's recommendations: enrol -> education, commune; clinic -> health; tutor ->
    # education; none answered.
    assert rates(events=[forum.event]) == {
        Kind.STATE_SERVICE: (0, 3, 3, 5),
        Kind.COMMUNE: (0, 1, 1, 1),
    }
    programme_events = list(programme.events.all())
    assert rates(events=[forum.event], proposal_events=programme_events) == {
        Kind.STATE_SERVICE: (0, 3, 3, 5),
        Kind.COMMUNE: (0, 1, 2, 2),
    }


def test_followup_page_shows_the_proposals_answers_and_the_overdue_list(
    client, forum, forum_proposals
):
    event = forum.event
    ForumSettingsFactory(event=event, response_due_days=10)
    ProposalAddressee.objects.update(addressed_at=timezone.now() - datetime.timedelta(days=11))
    education = ContactFactory(organization=forum.education)
    garden = forum_proposals.garden
    overdue_commitment(
        education, garden, what="Parcelle prêtée au quartier", by_whom="Service des espaces verts"
    )
    page = organizer_followup_page(client, event)
    proposals = page.split('id="proposals"')[1]
    assert garden.title in proposals and "Parcelle prêtée au quartier" in proposals
    assert "Service des espaces verts" in proposals  # the organizer sees who
    assert forum_proposals.waiting.title not in page
    overdue = page.split('id="overdue"')[1].split("</ul>")[0]
    assert "Commune d&#x27;Oujda has not answered: Jardin partagé du quartier" in overdue
    assert "Délégation de la Santé has not answered: Bibliothèque trilingue" in overdue
    assert "Parcelle prêtée au quartier" in overdue  # its date has passed
    assert "Direction de l&#x27;Éducation has not answered: Jardin" not in overdue
    for personal in [forum_proposals.named, *forum.personal_data]:
        assert personal not in page
    programme = client.get(
        f"/forums/programmes/{event.programme_id}/followup/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Parcelle prêtée au quartier" in programme
    # Education, the commune and health are all associations here: one answer of three asked.
    assert "Association / NGO: answered 1 of 3 participants' proposals" in programme


def test_an_answer_is_overdue_only_after_the_delay_from_when_it_was_asked(forum, forum_proposals):
    ForumSettingsFactory(event=forum.event, response_due_days=10)
    ProposalAddressee.objects.update(addressed_at=timezone.now() - datetime.timedelta(days=9))
    rows = proposal_followup_rows(events=[forum.event])
    assert not any(addressee.overdue for row in rows for addressee in row.addressees)
    later = timezone.now() + datetime.timedelta(days=2)
    rows = proposal_followup_rows(events=[forum.event], now=later)
    assert sum(addressee.overdue for row in rows for addressee in row.addressees) == 3


def test_public_page_shows_proposals_and_answers_without_personal_data(
    client, forum, forum_proposals
):
    event = forum.event
    ForumSettingsFactory(event=event, followup_public=True)
    health = ContactFactory(organization=forum.health, name="Karima Bennani")
    library = forum_proposals.library
    commitment_accepted(health, library, what="Rayonnage offert", by_whom="M. Alaoui")
    for language, direction in (("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")):
        page = client.get(
            f"/forums/{event.pk}/followup/public/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert f'dir="{direction}"' in page
        assert library.title in page and "Rayonnage offert" in page
        for personal in [
            "Karima Bennani",
            "M. Alaoui",
            forum_proposals.named,
            *forum.personal_data,
        ]:
            assert personal not in page


def test_network_lists_the_proposals_addressed_and_their_answers(client, forum, forum_proposals):
    Organization.objects.filter(pk=forum.health.pk).update(kind=Kind.STATE_SERVICE)
    _answer(forum.health, forum_proposals.library, "under_study")
    client.force_login(MembershipFactory(organization=forum.event.programme.lead_organization).user)
    page = client.get(
        f"/forums/programmes/{forum.event.programme_id}/network/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Participants' proposals addressed" in page
    assert "Bibliothèque trilingue — Under study" in page
    assert "answered 1 of 1 participants' proposal" in page
    assert forum_proposals.named not in page


@pytest.fixture
def next_forum(forum, forum_proposals):
    """The programme's next forum; education answered the garden at the first one."""
    commitment_accepted(
        ContactFactory(organization=forum.education, name="Karima Bennani"),
        forum_proposals.garden,
        what="Parcelle prêtée au quartier",
        by_whom="M. Alaoui",
        due_on=datetime.date(2027, 3, 1),
    )
    return next_forum_of(forum)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_followup_report_pdf_prints_the_proposals_answers(
    forum, forum_proposals, next_forum, language
):
    report = followup_report_build(event=next_forum)
    lines = pdf_lines(followup_pdf_render(report.data, language=language))
    with translation.override(language):
        line_with(lines, _("Participants' proposals and answers"))
        line_with(lines, str(_("Accepted")))
    line_with(lines, "Jardin partagé du quartier")
    line_with(lines, "Parcelle prêtée au quartier")
    line_with(lines, "Bibliothèque trilingue")
    text = "\n".join(lines)
    for personal in ["Karima Bennani", "M. Alaoui", forum_proposals.named, *forum.personal_data]:
        assert personal not in text
    html = followup_html_render(report.data, language=language)
    assert "Parcelle prêtée au quartier" in html and "M. Alaoui" not in html
    assert forum_proposals.named not in html and forum_proposals.named not in str(report.data)


def test_followup_report_covers_the_programmes_events_since_the_previous_forum(
    forum, forum_proposals, next_forum
):
    programme = forum.event.programme
    between = forum.event.start_date + datetime.timedelta(days=30)
    workshop = CallThemeFactory(
        call__event=EventFactory(programme=programme, start_date=between, end_date=between)
    ).call
    proposal_address(proposal=_accepted(workshop, "Marché solidaire"), organization_ids=[])
    market = _accepted(workshop, "Fête des voisins")
    proposal_address(proposal=market, organization_ids=[forum.commune.pk])
    after = next_forum.start_date + datetime.timedelta(days=1)
    later = CallThemeFactory(
        call__event=EventFactory(programme=programme, start_date=after, end_date=after)
    ).call
    proposal_address(proposal=_accepted(later, "Trop tard"), organization_ids=[forum.commune.pk])
    report = followup_report_build(event=next_forum)
    titles = [proposal["title"] for proposal in report.data["proposals"]]
    assert sorted(titles) == [
        "Bibliothèque trilingue",
        "Fête des voisins",
        "Jardin partagé du quartier",
    ]


def test_proposal_followup_reads_do_not_grow_with_the_number_of_proposals(forum, forum_proposals):
    education = ContactFactory(organization=forum.education)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            proposal_followup_rows(events=[forum.event])
        return len(queries)

    def answered_with_a_commitment():
        proposal = _accepted(forum_proposals.call, f"Idée {timezone.now().timestamp()}")
        proposal_address(proposal=proposal, organization_ids=[forum.education.pk])
        commitment_accepted(education, proposal)

    answered_with_a_commitment()
    before = count()
    for _index in range(10):
        answered_with_a_commitment()
    assert count() == before


def test_the_organizer_opens_a_document_of_a_proposal_commitment_another_ngo_does_not(
    client, forum, forum_proposals
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forums.services_responses import commitment_update_add

    education = ContactFactory(organization=forum.education)
    garden = forum_proposals.garden
    commitment = commitment_accepted(education, garden)
    pdf = b"%PDF-1.4 plan du jardin"
    update = commitment_update_add(
        contact=education,
        commitment_id=commitment.pk,
        state="in_progress",
        document=SimpleUploadedFile("plan.pdf", pdf),
    )
    url = f"/forums/{forum.event.pk}/manage/updates/{update.pk}/document"
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.content == pdf
    page = client.get(f"/forums/{forum.event.pk}/followup/").content.decode()
    assert url in page
    client.force_login(MembershipFactory(organization=OrganizationFactory()).user)
    assert client.get(url).status_code == 404
