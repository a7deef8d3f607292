"""Closing a forum sends nothing: the organizer previews what each partner contact will receive
(the e-mail, the PDF and page of its organisation in its language), then confirms; a summary
with no adopted recommendation or no attendance needs an explicit tick; a confirm sends once."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from events.models import EventStatus
from events.services.events import event_close
from forums import selectors
from forums.delivery import summary_release
from forums.models import ForumSummary, Recommendation
from forums.partners import partner_link_token
from forums.services import summary_build
from notifications.models import Message, Purpose
from tests.concurrency import run_at_once
from tests.factories import ContactFactory, MembershipFactory, OrganizationFactory

from .conftest import attendance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_outbox():
    mail.outbox = []


@pytest.fixture
def closed(forum, django_capture_on_commit_callbacks):
    """The forum closed with one person counted and two partner contacts in two languages."""
    attendance(forum.session, ticket=forum.tickets[0])
    forum.contacts = [
        ContactFactory(organization=forum.education, preferred_language="ar"),
        ContactFactory(organization=forum.commune, preferred_language="fr"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    forum.summary = ForumSummary.objects.get(event=forum.event)
    return forum


@pytest.fixture
def organizer(client, forum):
    client.force_login(MembershipFactory(organization=forum.event.organizer).user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def urls(forum, summary=None):
    summary = summary or forum.summary
    args = {"event_id": forum.event.pk, "summary_id": summary.pk}
    return {
        "preview": reverse("forums:summary_preview", kwargs=args),
        "pdf": reverse("forums:summary_preview_pdf", kwargs=args),
        "html": reverse("forums:summary_preview_html", kwargs=args),
        "send": reverse("forums:summary_send", kwargs=args),
    }


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def summary_emails():
    return [e for e in mail.outbox if e.extra_headers.get("Message-ID", "").startswith("<forum")]


def test_closing_a_forum_emails_no_partner_and_shows_them_nothing(closed, organizer):
    assert summary_emails() == []
    assert not Message.objects.filter(purpose=Purpose.FORUM_SUMMARY).exists()
    assert closed.summary.released_at is None
    assert not selectors.partner_forum_list(organization=closed.education).exists()
    token = partner_link_token(contact=closed.contacts[0])
    page = organizer.get(reverse("forums:partner_summary", args=[token, closed.event.pk]))
    assert page.status_code == 404
    manage = organizer.get(reverse("forums:manage", args=[closed.event.pk])).content.decode()
    assert "Not sent to the partners yet." in manage and urls(closed)["preview"] in manage


def test_preview_shows_each_contacts_email_exactly_as_it_is_then_sent(
    closed, organizer, django_capture_on_commit_callbacks, time_machine
):
    # The partner link in the e-mail is signed with the time: preview and send in one instant.
    time_machine.move_to(closed.summary.built_at, tick=False)
    page = organizer.get(urls(closed)["preview"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(urls(closed)["send"], {"sha256": closed.summary.sha256})
    assert response.status_code == 302
    sent = summary_emails()
    assert sorted(e.to[0] for e in sent) == sorted(c.email for c in closed.contacts)
    for contact in closed.contacts:
        (email,) = [e for e in sent if e.to == [contact.email]]
        assert email.alternatives[0][0] in page  # the HTML part, as the partner reads it
        assert email.subject in page
        language = email.extra_headers["Content-Language"]
        assert f"organization={contact.organization_id}&amp;language={language}" in page


def test_preview_pdf_is_the_attachment_each_organisation_gets(
    closed, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summary_release(summary_id=closed.summary.pk, previewed_sha256=closed.summary.sha256)
    for contact in closed.contacts:
        (email,) = [e for e in summary_emails() if e.to == [contact.email]]
        (attached,) = [a for a in email.attachments if a[2] == "application/pdf"]
        query = {"organization": contact.organization_id, "language": contact.preferred_language}
        preview = organizer.get(urls(closed)["pdf"], query)
        assert preview["Content-Type"] == "application/pdf"
        assert preview["Content-Disposition"].startswith("inline")
        assert pdf_text(preview.content) == pdf_text(attached[1])
        page = organizer.get(urls(closed)["html"], query)
        assert f'lang="{contact.preferred_language}"' in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"language": "fr"},
        {"organization": "99999999999999999999999", "language": "fr"},
        {"organization": "abc", "language": "fr"},
        {"organization": "STRANGER", "language": "fr"},
        {"organization": "EDUCATION", "language": "de"},
    ],
)
def test_preview_documents_of_unlinked_organisations_or_languages_are_404(closed, organizer, query):
    stranger = OrganizationFactory(name="Sans lien")
    ids = {"STRANGER": str(stranger.pk), "EDUCATION": str(closed.education.pk)}
    query = {key: ids.get(value, value) for key, value in query.items()}
    assert organizer.get(urls(closed)["pdf"], query).status_code == 404
    assert organizer.get(urls(closed)["html"], query).status_code == 404


def test_zero_attendance_needs_an_explicit_tick_before_anything_is_sent(
    forum, organizer, django_capture_on_commit_callbacks
):
    ContactFactory(organization=forum.commune, preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    summary = ForumSummary.objects.get(event=forum.event)
    preview = organizer.get(urls(forum, summary)["preview"]).content.decode()
    assert "This summary counts 0 attendances" in preview
    with django_capture_on_commit_callbacks(execute=True):
        refused = organizer.post(urls(forum, summary)["send"], {"sha256": summary.sha256})
    assert refused.status_code == 400
    assert "Tick each warning" in refused.content.decode()
    assert summary_emails() == []
    summary.refresh_from_db()
    assert summary.released_at is None
    with django_capture_on_commit_callbacks(execute=True):
        organizer.post(
            urls(forum, summary)["send"],
            {"sha256": summary.sha256, "acknowledge": "no_attendance"},
        )
    assert len(summary_emails()) == 1


def test_no_adopted_recommendation_needs_its_own_tick(
    forum, organizer, django_capture_on_commit_callbacks
):
    attendance(forum.session, ticket=forum.tickets[0])
    Recommendation.objects.filter(event=forum.event).update(status=Recommendation.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=forum.event)
    summary = ForumSummary.objects.get(event=forum.event)
    send = urls(forum, summary)["send"]
    wrong_tick = {"sha256": summary.sha256, "acknowledge": "no_attendance"}
    assert organizer.post(send, wrong_tick).status_code == 400
    right_tick = {"sha256": summary.sha256, "acknowledge": "no_recommendations"}
    assert organizer.post(send, right_tick).status_code == 302


def test_confirming_a_version_other_than_the_one_previewed_is_refused(
    closed, organizer, django_capture_on_commit_callbacks
):
    assert organizer.post(urls(closed)["send"], {"sha256": "0" * 64}).status_code == 409
    type(closed.event).objects.filter(pk=closed.event.pk).update(status=EventStatus.CLOSED)
    second = summary_build(event=closed.event, new_version=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer.post(urls(closed)["send"], {"sha256": closed.summary.sha256})
    assert response.status_code == 409
    assert "A newer version" in response.content.decode()
    assert summary_emails() == []
    assert (
        organizer.post(urls(closed, second)["send"], {"sha256": second.sha256}).status_code == 302
    )


def test_confirm_posted_twice_emails_each_contact_once(
    closed, organizer, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            organizer.post(urls(closed)["send"], {"sha256": closed.summary.sha256})
    assert len(summary_emails()) == len(closed.contacts)


def test_summary_pages_of_another_organisations_forum_are_404(closed, client):
    client.force_login(MembershipFactory().user)
    for name, url in urls(closed).items():
        method = client.post if name == "send" else client.get
        assert method(url, {"sha256": closed.summary.sha256}).status_code == 404
    assert summary_emails() == []


@pytest.mark.parametrize(
    ("language", "button"),
    [
        ("fr", "Confirmer et envoyer aux partenaires"),
        ("ar", "تأكيد الإرسال إلى الشركاء"),
        ("en", "Confirm and send to the partners"),
    ],
)
def test_preview_page_speaks_the_three_languages(closed, organizer, language, button):
    page = organizer.get(urls(closed)["preview"], HTTP_ACCEPT_LANGUAGE=language)
    assert button in page.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirms_email_each_contact_once_on_postgresql(forum):
    type(forum.event).objects.filter(pk=forum.event.pk).update(status=EventStatus.CLOSED)
    attendance(forum.session, ticket=forum.tickets[0])
    summary = summary_build(event=forum.event)
    contacts = [
        ContactFactory(organization=forum.education),
        ContactFactory(organization=forum.commune),
    ]
    run_at_once(
        lambda: summary_release(summary_id=summary.pk, previewed_sha256=summary.sha256), times=6
    )

    assert Message.objects.filter(purpose=Purpose.FORUM_SUMMARY).count() == len(contacts)
    assert sorted(e.to[0] for e in summary_emails()) == sorted(c.email for c in contacts)
