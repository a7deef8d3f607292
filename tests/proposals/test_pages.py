import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Membership
from proposals.models import GroupCount, Proposal, ProposalEndorsement
from tests.factories import MembershipFactory, TicketFactory

from .conftest import linked_ticket, submitted_proposal

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _propose(client, url, theme, **extra):
    data = {
        "action": "propose",
        "theme": theme.pk,
        "title": "Jardin",
        "text": "Un jardin partagé.",
        "language": "ar",
    }
    data.update(extra)
    return client.post(url, data)


def test_a_participant_types_their_code_proposes_and_supports(
    client, call, theme, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = f"/propose/{call.event_id}/"
    ticket = linked_ticket(call.event)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    assert client.post(url, {"action": "code", "code": ticket.short_code}).status_code == 302
    photo = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    response = _propose(client, url, theme, photo=photo)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.ticket == ticket and proposal.language == "ar" and proposal.photo
    other = submitted_proposal(call, theme, title="Autre", accepted=True)
    page = client.get(url).content.decode()
    assert "Autre" in page and "Jardin" not in page  # hidden until accepted
    client.post(url, {"action": "endorse", "proposal": other.pk})
    client.post(url, {"action": "endorse", "proposal": other.pk})
    assert ProposalEndorsement.objects.filter(proposal=other).count() == 1


def test_a_wrong_code_is_a_form_error_and_a_duplicate_is_said(client, call, theme):
    url = f"/propose/{call.event_id}/"
    response = client.post(url, {"action": "code", "code": "ZZZZ-ZZZZ"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    other_event_ticket = TicketFactory()
    response = client.post(url, {"action": "code", "code": other_event_ticket.short_code})
    assert response.status_code == 200
    ticket = linked_ticket(call.event)
    client.post(url, {"action": "code", "code": ticket.short_code})
    _propose(client, url, theme)
    response = _propose(client, url, theme)
    assert response.status_code == 200
    assert Proposal.objects.count() == 1


def test_a_file_that_is_not_an_image_is_refused(client, call, theme):
    url = f"/propose/{call.event_id}/"
    client.post(url, {"action": "code", "code": linked_ticket(call.event).short_code})
    bad = SimpleUploadedFile("p.png", b"not an image", content_type="image/png")
    response = _propose(client, url, theme, photo=bad)
    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_posting_a_proposal_without_a_code_does_nothing(client, call, theme):
    response = _propose(client, f"/propose/{call.event_id}/", theme)
    assert response.status_code == 200
    assert not Proposal.objects.exists()


def test_a_facilitator_enters_a_person_and_a_group(client, call, theme):
    facilitator = MembershipFactory(
        organization=call.event.organizer, role=Membership.Role.RAPPORTEUR
    ).user
    client.force_login(facilitator)
    url = f"/propose/{call.event_id}/table/"
    assert client.get(url).status_code == 200
    ticket = linked_ticket(call.event)
    response = client.post(
        url,
        {
            "action": "person",
            "code": ticket.short_code,
            "theme": theme.pk,
            "title": "Bibliothèque",
            "text": "Des livres.",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get().source == Proposal.Source.TABLE
    response = client.post(
        url,
        {
            "action": "group",
            "theme": theme.pk,
            "title": "Foot",
            "text": "Un terrain.",
            "language": "fr",
            "n_female_12_17": "4",
            "n_male_60plus": "2",
        },
    )
    assert response.status_code == 302
    counts = {(c.gender, c.age_band): c.count for c in GroupCount.objects.all()}
    assert counts == {("female", "12-17"): 4, ("male", "60+"): 2}
    response = client.post(
        url,
        {"action": "group", "theme": theme.pk, "title": "Vide", "text": "X", "language": "fr"},
    )
    assert response.status_code == 200  # nobody counted: a form error
    assert Proposal.objects.count() == 2


def test_another_ngo_cannot_reach_the_table_or_manage(client, call):
    client.force_login(MembershipFactory().user)
    assert client.get(f"/propose/{call.event_id}/table/").status_code == 404
    assert client.get(f"/organizer/events/{call.event_id}/proposals/").status_code == 404


def test_the_organizer_opens_moderates_and_merges(client, call, theme):
    organizer = MembershipFactory(organization=call.event.organizer).user
    client.force_login(organizer)
    base = f"/organizer/events/{call.event_id}/proposals/"
    client.post(base, {"action": "open", "name_fr": "Jeunesse", "name_ar": "الشباب"})
    assert call.themes.filter(name_fr="Jeunesse").exists()
    first, second, third = (
        submitted_proposal(call, theme, title=title) for title in ("Un", "Deux", "Trois")
    )
    assert client.get(base).status_code == 200
    client.post(f"{base}{first.pk}/accept/")
    client.post(f"{base}{second.pk}/reject/", {"reason": ""})
    client.post(f"{base}{third.pk}/reject/", {"reason": "Hors sujet"})
    client.post(f"{base}{second.pk}/merge/", {f"m{second.pk}-into": first.pk})
    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {"Un": "accepted", "Deux": "merged", "Trois": "rejected"}
    assert Proposal.objects.get(title="Trois").rejection_reason == "Hors sujet"
    assert client.post(f"{base}{first.pk}/explode/").status_code == 404
    client.post(base, {"action": "close"})
    call.refresh_from_db()
    assert not call.is_open
