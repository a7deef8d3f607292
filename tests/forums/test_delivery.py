"""Delivery of forum summaries to partner contacts through the notifications outbox."""

import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from events.models import Event, EventStatus
from events.services.events import event_close
from forums import selectors
from forums.delivery import summary_deliver, summary_delivery_retry
from forums.models import ForumSummary
from forums.services import summary_build
from forums.tasks import forum_summary_build_task
from notifications.models import Message, Purpose
from tests.factories import (
    AttendeeFactory,
    ContactFactory,
    MembershipFactory,
    RegistrationFactory,
    TicketFactory,
)

from .conftest import attendance, summary_sent

pytestmark = pytest.mark.django_db

DEMO_FORUM_TITLE = "Forum régional sur la migration"


class RefusingBackend(LocmemBackend):
    """locmem, except that the mail server refuses the addresses listed in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (550, b"no")))
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def clean_outbox():
    mail.outbox = []
    RefusingBackend.refused = set()


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def summary_emails(contacts) -> list:
    addresses = {contact.email for contact in contacts}
    return [email for email in mail.outbox if set(email.to) & addresses]


def pdf_of(email) -> bytes:
    ((name, content, mimetype),) = [a for a in email.attachments if a[2] == "application/pdf"]
    assert name.endswith(".pdf")
    return content


@pytest.fixture
def demo_forum(django_capture_on_commit_callbacks):
    """The demo forum, with a participant whose personal data must never reach a partner."""
    call_command("load_demo")
    event = Event.objects.get(title=DEMO_FORUM_TITLE)
    registration = RegistrationFactory(
        event=event,
        contact_name="Aminata Zerbo-Kouyaté",
        phone="+212661234987",
        email="aminata.kouyate@mail.example",
    )
    attendee = AttendeeFactory(registration=registration, first_name="Ibrahima Sangaré")
    ticket = TicketFactory(attendee=attendee, event=event)
    attendance(event.sessions.first(), gender="female", ticket=ticket)
    event.personal_data = [
        registration.contact_name,
        registration.phone,
        registration.email,
        attendee.first_name,
        ticket.secret,
        ticket.short_code,
    ]
    return event


def close(event, capture):
    """Close the forum, then confirm its summary after the preview."""
    with capture(execute=True):
        event_close(event=event)
    with capture(execute=True):
        summary_sent(event)


def test_closing_the_demo_forum_emails_each_partner_contact_the_personalised_pdf(
    demo_forum, django_capture_on_commit_callbacks
):
    close(demo_forum, django_capture_on_commit_callbacks)

    summary = ForumSummary.objects.get(event=demo_forum)
    assert "enfants migrants même sans acte de naissance" in summary.html
    contacts = list(selectors.summary_recipient_contacts(event=demo_forum))
    assert len(contacts) == 4  # the demo programme's partners with a contact e-mail
    emails = summary_emails(contacts)
    assert sorted(email.to[0] for email in emails) == sorted(c.email for c in contacts)
    for contact in contacts:
        (email,) = [e for e in emails if e.to == [contact.email]]
        assert email.extra_headers["Content-Language"] == contact.preferred_language
        assert "/partners/link/" in email.body
        # Institution names are printed as written, whatever the contact's language.
        assert "Région de l'Oriental" in pdf_text(pdf_of(email))
    education = next(c for c in contacts if c.organization.acronym == "DPEN")
    (email,) = [e for e in emails if e.to == [education.email]]
    assert email.extra_headers["Content-Language"] == "ar"
    assert "خلاصة المنتدى" in email.subject
    assert Message.objects.filter(purpose=Purpose.FORUM_SUMMARY, status="sent").count() == 4


def test_a_french_contact_gets_french_text_and_its_own_recommendations_first(
    demo_forum, django_capture_on_commit_callbacks
):
    close(demo_forum, django_capture_on_commit_callbacks)
    contact = selectors.summary_recipient_contacts(event=demo_forum).get(
        organization__name="Commune d'Oujda"
    )
    contact.preferred_language = "fr"
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        summary_sent(demo_forum, new_version=True)
    email = [e for e in mail.outbox if e.to == [contact.email] and "version 2" in e.subject][0]
    assert email.subject.startswith("Synthèse du forum")
    assert "dont 2 adressée(s) à votre institution" in email.body
    text = pdf_text(pdf_of(email))
    # The commune's two recommendations come before one addressed to others only.
    own = text.index("Tenir un guichet mensuel")
    other = text.index("Créer des cours de soutien")
    assert own < other


def test_closing_twice_or_rerunning_the_task_sends_one_email_each(
    demo_forum, django_capture_on_commit_callbacks
):
    close(demo_forum, django_capture_on_commit_callbacks)
    close(demo_forum, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        forum_summary_build_task.delay(demo_forum.pk)
        summary_sent(demo_forum)
    contacts = list(selectors.summary_recipient_contacts(event=demo_forum))
    assert len(summary_emails(contacts)) == len(contacts) == 4
    assert ForumSummary.objects.filter(event=demo_forum).count() == 1


def test_an_explicit_new_version_is_delivered_once_more_to_each_contact(
    demo_forum, django_capture_on_commit_callbacks, organizer_client
):
    close(demo_forum, django_capture_on_commit_callbacks)
    MembershipFactory(user=organizer_client.user, organization=demo_forum.organizer)
    url = reverse("forums:summary_new", kwargs={"event_id": demo_forum.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url)
    second = ForumSummary.objects.get(event=demo_forum, number=2)
    assert response["Location"] == reverse(
        "forums:summary_preview", kwargs={"event_id": demo_forum.pk, "summary_id": second.pk}
    )
    contacts = list(selectors.summary_recipient_contacts(event=demo_forum))
    assert len(summary_emails(contacts)) == 4  # the new version waits for its confirmation
    send = reverse(
        "forums:summary_send", kwargs={"event_id": demo_forum.pk, "summary_id": second.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(send, {"sha256": second.sha256})
    assert response.status_code == 302
    emails = summary_emails(contacts)
    assert len(emails) == 8
    assert sum("-v2-" in e.attachments[0][0] for e in emails) == 4
    # Sending that version again (a retried task, a second click on nothing) adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        summary_deliver(summary_id=ForumSummary.objects.get(event=demo_forum, number=2).pk)
        summary_deliver(summary_id=ForumSummary.objects.get(event=demo_forum, number=1).pk)
    assert len(summary_emails(contacts)) == 8


def test_new_version_through_the_api_is_delivered_once_released(
    demo_forum, django_capture_on_commit_callbacks, organizer_client
):
    close(demo_forum, django_capture_on_commit_callbacks)
    MembershipFactory(user=organizer_client.user, organization=demo_forum.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            f"/api/v1/forums/{demo_forum.pk}/summaries", {}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2 and response.json()["released_at"] is None
    assert Message.objects.filter(purpose=Purpose.FORUM_SUMMARY).count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            f"/api/v1/forums/{demo_forum.pk}/summaries/2/release",
            {"sha256": response.json()["sha256"]},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["released_at"] is not None
    assert Message.objects.filter(purpose=Purpose.FORUM_SUMMARY).count() == 8


def test_a_refused_recipient_is_retried_without_resending_the_others(
    demo_forum, django_capture_on_commit_callbacks, organizer_client, settings
):
    settings.EMAIL_BACKEND = "tests.forums.test_delivery.RefusingBackend"
    contacts = list(selectors.summary_recipient_contacts(event=demo_forum))
    RefusingBackend.refused = {contacts[0].email}
    close(demo_forum, django_capture_on_commit_callbacks)
    summary = ForumSummary.objects.get(event=demo_forum)
    assert len(summary_emails(contacts)) == 3
    assert selectors.summary_delivery_counts(event=demo_forum)[summary.pk] == {
        "sent": 3,
        "failed": 1,
        "waiting": 0,
    }
    MembershipFactory(user=organizer_client.user, organization=demo_forum.organizer)
    page = organizer_client.get(
        reverse("forums:manage", kwargs={"event_id": demo_forum.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "E-mails to partners: 3 sent, 1 failed, 0 waiting" in page.content.decode()

    RefusingBackend.refused = set()
    url = reverse(
        "forums:summary_delivery_retry",
        kwargs={"event_id": demo_forum.pk, "summary_id": summary.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url)
    emails = summary_emails(contacts)
    assert len(emails) == 4
    assert sorted(e.to[0] for e in emails) == sorted(c.email for c in contacts)
    with django_capture_on_commit_callbacks(execute=True):
        summary_delivery_retry(summary=summary)
    assert len(summary_emails(contacts)) == 4


def test_emails_and_attachments_carry_no_participant_personal_data(
    demo_forum, django_capture_on_commit_callbacks
):
    close(demo_forum, django_capture_on_commit_callbacks)
    contacts = list(selectors.summary_recipient_contacts(event=demo_forum))
    emails = summary_emails(contacts)
    assert emails
    for email in emails:
        texts = [email.subject, email.body, email.message().as_string(), pdf_text(pdf_of(email))]
        for value in demo_forum.personal_data:
            for text in texts:
                assert value not in text


def test_contacts_without_email_or_of_unlinked_organisations_get_nothing(
    closed_forum, django_capture_on_commit_callbacks
):
    linked = ContactFactory(organization=closed_forum.health, preferred_language="en")
    ContactFactory(organization=closed_forum.commune, email="")
    stranger = ContactFactory()
    summary = ForumSummary.objects.get(event=closed_forum.event)
    with django_capture_on_commit_callbacks(execute=True):
        summary_deliver(summary_id=summary.pk)
    recipients = {e.to[0] for e in mail.outbox if e.subject.startswith("Summary of the forum")}
    assert recipients == {linked.email}
    assert stranger.email not in {e.to[0] for e in mail.outbox}
    message = Message.objects.get(purpose=Purpose.FORUM_SUMMARY)
    assert message.payload == {
        "summary": summary.pk,
        "organization": closed_forum.health.pk,
        "contact": linked.pk,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_version_send_one_email_per_contact(forum):
    from tests.concurrency import run_together

    type(forum.event).objects.filter(pk=forum.event.pk).update(status=EventStatus.CLOSED)
    summary = summary_build(event=forum.event)
    ForumSummary.objects.filter(pk=summary.pk).update(released_at=summary.built_at)
    contacts = [
        ContactFactory(organization=forum.education),
        ContactFactory(organization=forum.health),
        ContactFactory(organization=forum.commune),
    ]
    _, errors = run_together([lambda: summary_deliver(summary_id=summary.pk)] * 4)
    assert errors == []
    assert Message.objects.filter(purpose=Purpose.FORUM_SUMMARY).count() == 3
    assert sorted(e.to[0] for e in summary_emails(contacts)) == sorted(c.email for c in contacts)


def test_recipients_follow_the_partner_portal_rule(closed_forum):
    from core.models import Organization

    stranger = Organization.objects.create(name="Sans lien", kind=Organization.Kind.NGO)
    donor = Organization.objects.create(name="Bailleur", kind=Organization.Kind.DONOR)
    closed_forum.event.programme.donors.add(donor)
    linked = set(selectors.forum_partner_organizations(event=closed_forum.event))
    for organization in Organization.objects.all():
        in_portal = selectors.partner_forum_list(organization=organization).filter(
            pk=closed_forum.event.pk
        )
        assert in_portal.exists() == (organization in linked), organization
    assert donor in linked and stranger not in linked
    assert closed_forum.health in linked  # addressed by an adopted recommendation only
