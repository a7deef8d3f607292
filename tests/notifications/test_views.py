import pytest
from django.urls import reverse

from attendance.models import Attendance
from notifications.models import FeedbackAnswer, Message, Suppression
from notifications.rendering import opt_out_url
from notifications.tokens import feedback_token, recipient_hash
from tests.factories import EventFactory, FeedbackAnswerFactory, MessageFactory, SessionFactory

from .conftest import ticket_for

pytestmark = pytest.mark.django_db


def path_of(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_opt_out_link_asks_first_then_suppresses_and_cancels_pending(client, event, frozen_now):
    ticket = ticket_for(event)
    phone = ticket.attendee.registration.phone
    hashed = recipient_hash("sms", phone)
    pending = MessageFactory(
        channel="sms",
        recipient=phone,
        recipient_hash=hashed,
        language="fr",
        purpose="reminder",
        body="x",
        idempotency_key="k",
        scheduled_at=event.created_at,
        event=event,
    )
    url = path_of(opt_out_url("sms", hashed))
    assert phone not in url and phone.lstrip("+") not in url
    assert client.get(url).status_code == 200
    assert not Suppression.objects.exists()
    assert client.post(url).status_code == 200
    assert Suppression.objects.get().recipient_hash == hashed
    pending.refresh_from_db()
    assert pending.status == Message.Status.CANCELLED


def test_forged_opt_out_token_is_404(client):
    assert client.get("/stop/not-a-token/").status_code == 404


def attended_ticket(event):
    ticket = ticket_for(event)
    Attendance.objects.create(
        event=event,
        session=event.sessions.get(),
        ticket=ticket,
        source="scan",
        gender="female",
        age_band=ticket.attendee.age_band,
        profile="migrant",
        recorded_at=event.created_at,
    )
    return ticket


def test_feedback_form_accepts_one_answer_per_ticket(client, event):
    ticket = attended_ticket(event)
    url = reverse("notifications:feedback", args=[feedback_token(ticket.pk)])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200 and "😀" in page.content.decode()
    assert (
        client.post(
            url, {"satisfaction": "4", "useful": "Les ateliers", "suggestions": ""}
        ).status_code
        == 200
    )
    assert client.post(url, {"satisfaction": "1", "useful": "again"}).status_code == 200
    answer = FeedbackAnswer.objects.get()
    assert (answer.satisfaction, answer.useful, answer.event_id) == (4, "Les ateliers", event.pk)
    assert not hasattr(answer, "ticket_id")


def test_feedback_rejects_out_of_range_satisfaction(client, event):
    ticket = attended_ticket(event)
    url = reverse("notifications:feedback", args=[feedback_token(ticket.pk)])
    assert client.post(url, {"satisfaction": "9"}).status_code == 200
    assert not FeedbackAnswer.objects.exists()


def test_feedback_is_refused_for_a_no_show(client, event):
    ticket = ticket_for(event)
    response = client.post(
        reverse("notifications:feedback", args=[feedback_token(ticket.pk)]), {"satisfaction": "5"}
    )
    assert response.status_code == 403 and not FeedbackAnswer.objects.exists()


def test_feedback_with_forged_token_is_404(client):
    assert client.get("/feedback/123-0123456789abcdef/").status_code == 404


def reminder_sms(event, **fields):
    """One French reminder SMS of the event, to a number the pages must never show."""
    values = {
        "channel": "sms",
        "recipient": "+212600000000",
        "recipient_hash": "h",
        "language": "fr",
        "purpose": "reminder",
        "body": "x",
        "idempotency_key": "k1",
        "scheduled_at": event.created_at,
        "event": event,
    }
    return MessageFactory(**{**values, **fields})


def test_organizer_page_shows_counts_failures_and_feedback(organizer_client, organizer):
    from core.models import Membership

    org = Membership.objects.get(user=organizer).organization
    event = EventFactory(programme__lead_organization=org)
    SessionFactory(event=event)
    ticket = attended_ticket(event)
    reminder_sms(event, status="failed", last_error="HTTP 400 invalid number")
    FeedbackAnswerFactory(
        event=event, ticket_digest="d", satisfaction=5, suggestions="Plus de musique", language="fr"
    )
    page = organizer_client.get(
        reverse("notifications:event_messages", args=[event.pk])
    ).content.decode()
    assert 'data-status="failed" data-channel="sms">1<' in page
    assert "HTTP 400 invalid number" in page and "Plus de musique" in page
    assert "+212600000000" not in page and ticket.attendee.registration.contact_name not in page


def test_organizer_page_is_hidden_from_other_organisations(organizer_client, event):
    assert (
        organizer_client.get(reverse("notifications:event_messages", args=[event.pk])).status_code
        == 404
    )


def test_organizer_retry_failed_action(organizer_client, organizer, frozen_now, committed):
    from core.models import Membership
    from notifications import sms

    org = Membership.objects.get(user=organizer).organization
    event = EventFactory(programme__lead_organization=org)
    reminder_sms(event, status="failed", last_error="HTTP 503")
    url = reverse("notifications:event_messages", args=[event.pk])
    response = committed(organizer_client.post, url, {"action": "retry_failed"})
    assert response.status_code == 302
    assert Message.objects.get().status == Message.Status.SENT
    assert [m.body for m in sms.outbox] == ["x"]


def test_demo_loader_queues_a_confirmation_and_is_idempotent(committed):
    from events.demo import demo_load as events_demo_load
    from notifications import sms
    from notifications.demo import demo_load

    events_demo_load()
    first = committed(demo_load)
    assert first.created_objects > 3
    assert len(sms.outbox) == 1 and "Multaqa" in sms.outbox[0].body
    assert Message.objects.filter(purpose="reminder").exists()
    # The second demo participant chose WhatsApp: an Arabic template, no SMS.
    assert (
        Message.objects.get(purpose="confirmation", channel="whatsapp").payload["whatsapp"][
            "language_code"
        ]
        == "ar"
    )
    assert committed(demo_load).created_objects == 0


def test_short_opt_out_link_in_sms_stops_that_registrations_phone(client, event):
    from notifications.rendering import registration_opt_out_url

    ticket = ticket_for(event, email="a@example.org")
    registration = ticket.attendee.registration
    url = registration_opt_out_url(registration, "sms")
    assert len(url) < 60
    assert client.post(path_of(url)).status_code == 200
    assert Suppression.objects.get().recipient_hash == recipient_hash("sms", registration.phone)
    assert client.get(path_of(url)[:-3] + "00/").status_code == 404


@pytest.mark.parametrize(
    ("language", "question"),
    [("fr", "Êtes-vous satisfait·e"), ("ar", "ما مدى رضاك"), ("en", "How satisfied are you")],
)
def test_feedback_form_speaks_the_three_languages(client, event, language, question):
    ticket = attended_ticket(event)
    url = reverse("notifications:feedback", args=[feedback_token(ticket.pk)])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert question in page
    assert ('dir="rtl"' in page) == (language == "ar")


def test_opt_out_page_is_translated(client, event):
    ticket = ticket_for(event)
    url = path_of(opt_out_url("sms", recipient_hash("sms", ticket.attendee.registration.phone)))
    assert "إيقاف الرسائل" in client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "admin:notifications_message_changelist",
        "admin:notifications_messagetemplate_changelist",
        "admin:notifications_eventnotificationsettings_add",
        "admin:notifications_suppression_changelist",
        "admin:notifications_feedbackanswer_changelist",
    ],
)
def test_admin_pages_open(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_admin_message_list_is_scoped_to_the_organizers_events(client, organizer, event):
    from django.contrib.auth.models import Permission

    organizer.user_permissions.add(Permission.objects.get(codename="view_message"))
    reminder_sms(event, idempotency_key="k-other")
    client.force_login(organizer)
    response = client.get(reverse("admin:notifications_message_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
