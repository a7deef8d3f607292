import pytest
from django.urls import reverse

from notifications.default_templates import DEFAULT_TEMPLATES
from notifications.models import FREE_TEXT_PURPOSES, MessageTemplate, Purpose
from notifications.rendering import message_context, render_for
from notifications.tokens import recipient_hash

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


def test_migration_seeds_every_purpose_channel_and_language():
    # Both channels for every purpose, but the documents that go to partners (summary, follow-up
    # report) are e-mail only; answers to replies are written when sent, never from a template.
    partners_only = {Purpose.FORUM_SUMMARY, Purpose.FORUM_FOLLOWUP}
    templated = len(Purpose.values) - len(FREE_TEXT_PURPOSES)
    expected = (templated - len(partners_only)) * 2 * 3 + len(partners_only) * 3
    assert MessageTemplate.objects.count() == len(DEFAULT_TEMPLATES) == expected


@pytest.mark.parametrize(
    ("language", "expected_word", "expected_date"),
    [
        ("fr", "Rappel", "1 décembre 2026"),
        ("ar", "تذكير", "ديسمبر"),
        ("en", "Reminder", "Dec. 1, 2026"),
    ],
)
def test_reminder_renders_in_the_participants_language(
    event, language, expected_word, expected_date
):
    event.title_ar, event.title_en = "لقاء", "Meeting"
    event.save()
    ticket = ticket_for(event, language=language)
    registration = ticket.attendee.registration
    context = message_context(
        registration=registration,
        language=language,
        channel="sms",
        hashed_recipient=recipient_hash("sms", registration.phone),
        session=event.sessions.get(),
        ticket=ticket,
    )
    _subject, body = render_for(
        purpose=Purpose.REMINDER, channel="sms", language=language, context=context
    )
    assert expected_word in body
    assert expected_date in context["session_date"]
    assert {"fr": event.title, "ar": "لقاء", "en": "Meeting"}[language] in body
    assert "10:00" in body
    # Arabic SMS (UCS-2) carry the short code instead of the long ticket link to save segments.
    assert (str(ticket) if language == "ar" else ticket.get_absolute_url()) in body


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_every_email_template_renders_a_subject_and_the_opt_out_link(event, language):
    ticket = ticket_for(event, language=language, email="a@example.org")
    registration = ticket.attendee.registration
    context = message_context(
        registration=registration,
        language=language,
        channel="email",
        hashed_recipient=recipient_hash("email", "a@example.org"),
        session=event.sessions.get(),
        ticket=ticket,
        with_feedback=True,
    )
    for purpose in sorted(set(Purpose.values) - FREE_TEXT_PURPOSES):
        subject, body = render_for(
            purpose=purpose, channel="email", language=language, context=context
        )
        assert subject and "\n" not in subject and "{{" not in subject
        assert "{{" not in body and context["opt_out_url"] in body
        if purpose == Purpose.PARTICIPANT_CARD:
            # The card's link names no one: a forwarded or overheard message reveals nobody.
            assert registration.contact_name not in body
        else:
            assert registration.contact_name in body


def test_edited_template_is_used_and_names_are_not_html_escaped(event):
    MessageTemplate.objects.filter(purpose="reminder", channel="sms", language="fr").update(
        body="Salut {{ name }}!"
    )
    ticket = ticket_for(event, contact_name="Ama & Kofi")
    context = message_context(
        registration=ticket.attendee.registration,
        language="fr",
        channel="sms",
        hashed_recipient="x",
        ticket=ticket,
    )
    assert (
        render_for(purpose="reminder", channel="sms", language="fr", context=context)[1]
        == "Salut Ama & Kofi!"
    )


def test_missing_language_falls_back_to_french(event):
    MessageTemplate.objects.filter(purpose="reminder", channel="sms", language="en").delete()
    from notifications import default_templates

    saved = default_templates.DEFAULT_TEMPLATES.pop(("reminder", "sms", "en"))
    try:
        body = render_for(purpose="reminder", channel="sms", language="en", context={"event": "E"})[
            1
        ]
    finally:
        default_templates.DEFAULT_TEMPLATES[("reminder", "sms", "en")] = saved
    assert body.startswith("Rappel")


def test_admin_preview_shows_segments_and_warns_when_too_long(admin_client):
    template = MessageTemplate.objects.get(purpose="reminder", channel="sms", language="ar")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    page = admin_client.get(url).content.decode()
    assert "UCS-2" in page and "segment" in page
    response = admin_client.post(
        url,
        {
            "purpose": "reminder",
            "channel": "sms",
            "language": "ar",
            "subject": "",
            "body": "تذكير " * 60,
        },
        follow=True,
    )
    assert "3" in response.content.decode() and "UCS-2" in response.content.decode()
    assert any("segments" in str(m) for m in response.context["messages"])
