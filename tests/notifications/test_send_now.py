"""The organizer's "send scheduled messages now": choose, preview (what and to how many people),
confirm; reminders whose time has not come go early only when ticked; a confirm sends what was
previewed, once, however often it is posted."""

import datetime
import re

import pytest
from django.urls import reverse

from core.models import Membership
from notifications import sms
from notifications.models import Message, Purpose
from notifications.services import messages_send_now, registration_notifications_schedule
from tests.concurrency import run_at_once
from tests.factories import EventFactory, MessageFactory, SessionFactory

from .conftest import NOW, ticket_for

pytestmark = pytest.mark.django_db

TWO_DAYS, THREE_HOURS = 2 * 24 * 60, 3 * 60


@pytest.fixture
def organizer_client(organizer_client):
    """The organizer reads English here, so that the assertions can quote the page."""
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return organizer_client


@pytest.fixture
def own_event(organizer):
    org = Membership.objects.get(user=organizer).organization
    event = EventFactory(programme__lead_organization=org)
    SessionFactory(event=event)
    return event


def registered(event, committed, count=1):
    """Registrations made a week before: the confirmation went, both reminders wait."""
    for _ in range(count):
        ticket = ticket_for(event)
        committed(
            registration_notifications_schedule,
            registration_id=ticket.attendee.registration_id,
        )
    sms.outbox.clear()


def send_url(event):
    return reverse("notifications:event_messages_send", args=[event.pk])


def reminders(event, offset):
    return Message.objects.filter(event=event, purpose=Purpose.REMINDER, offset_minutes=offset)


def group_key(event, offset):
    session = event.sessions.get()
    return f"{Purpose.REMINDER}:{session.pk}:{offset}"


def selection_of(page: str) -> str:
    return re.search(r'name="selection" value="([^"]+)"', page).group(1)


def preview(client, event, *offsets):
    response = client.post(
        send_url(event), {"step": "preview", "group": [group_key(event, o) for o in offsets]}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_old_one_click_send_on_the_messages_page_sends_nothing(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed)
    url = reverse("notifications:event_messages", args=[own_event.pk])
    committed(organizer_client.post, url, {"action": "send_now"})
    committed(organizer_client.post, url, {"action": "send_now"})
    assert sms.outbox == []
    assert reminders(own_event, TWO_DAYS).get().status == Message.Status.SCHEDULED
    assert reminders(own_event, THREE_HOURS).get().status == Message.Status.SCHEDULED


def test_choice_page_leaves_reminders_whose_time_has_not_come_unticked(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed, count=2)
    # Two days before the session plus one hour: the two-day reminder is due, the other is not.
    frozen_now.move_to(datetime.datetime(2026, 11, 29, 11, 0, tzinfo=datetime.UTC))
    page = organizer_client.get(send_url(own_event)).content.decode()
    due = re.search(rf'value="{group_key(own_event, TWO_DAYS)}"[^>]*>', page).group(0)
    later = re.search(rf'value="{group_key(own_event, THREE_HOURS)}"[^>]*>', page).group(0)
    assert "checked" in due and "checked" not in later
    assert sms.outbox == []


def test_preview_says_what_goes_and_to_how_many_people_and_sends_nothing(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed, count=3)
    page = preview(organizer_client, own_event, TWO_DAYS)
    assert "3 messages will be sent now" in page and "to 3 people." in page
    assert "Sent early: planned for" in page
    assert sms.outbox == []
    assert not reminders(own_event, TWO_DAYS).exclude(status=Message.Status.SCHEDULED).exists()


def test_confirm_sends_the_picked_reminder_only_and_keeps_the_other_for_its_time(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed, count=2)
    selection = selection_of(preview(organizer_client, own_event, TWO_DAYS))
    response = committed(
        organizer_client.post, send_url(own_event), {"step": "confirm", "selection": selection}
    )
    assert response.status_code == 302
    assert set(reminders(own_event, TWO_DAYS).values_list("status", flat=True)) == {"sent"}
    assert set(reminders(own_event, THREE_HOURS).values_list("status", flat=True)) == {"scheduled"}
    assert len(sms.outbox) == 2


def test_confirm_does_not_send_rows_scheduled_after_the_preview(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed)
    selection = selection_of(preview(organizer_client, own_event, TWO_DAYS))
    registered(own_event, committed)  # a new registration between preview and confirm
    committed(
        organizer_client.post, send_url(own_event), {"step": "confirm", "selection": selection}
    )
    assert reminders(own_event, TWO_DAYS).filter(status="sent").count() == 1
    assert reminders(own_event, TWO_DAYS).filter(status="scheduled").count() == 1


def test_confirm_posted_twice_sends_each_reminder_once(
    organizer_client, own_event, frozen_now, committed
):
    registered(own_event, committed, count=2)
    selection = selection_of(preview(organizer_client, own_event, TWO_DAYS))
    for _ in range(2):
        committed(
            organizer_client.post, send_url(own_event), {"step": "confirm", "selection": selection}
        )
    assert len(sms.outbox) == 2
    assert len({message.idempotency_key for message in sms.outbox}) == 2


@pytest.mark.parametrize("selection", ["", "forged", "eyJlIjoxfQ:1abc:def"])
def test_altered_or_missing_selection_is_refused_and_sends_nothing(
    organizer_client, own_event, frozen_now, committed, selection
):
    registered(own_event, committed)
    response = committed(
        organizer_client.post, send_url(own_event), {"step": "confirm", "selection": selection}
    )
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()
    assert sms.outbox == []


def test_selection_of_another_event_is_refused(organizer_client, own_event, frozen_now, committed):
    other = EventFactory(programme=own_event.programme)
    SessionFactory(event=other)
    registered(other, committed)
    selection = selection_of(preview(organizer_client, other, TWO_DAYS))
    response = organizer_client.post(
        send_url(own_event), {"step": "confirm", "selection": selection}
    )
    assert response.status_code == 400 and sms.outbox == []


def test_preview_without_a_ticked_group_asks_for_one(organizer_client, own_event, frozen_now):
    MessageFactory(event=own_event, scheduled_at=NOW)
    response = organizer_client.post(send_url(own_event), {"step": "preview"})
    assert response.status_code == 400
    assert "Tick at least one group" in response.content.decode()


def test_send_now_pages_are_hidden_from_other_organisations(organizer_client, frozen_now):
    event = EventFactory()
    assert organizer_client.get(send_url(event)).status_code == 404
    assert organizer_client.post(send_url(event), {"step": "preview"}).status_code == 404


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Vérifier avant l’envoi"), ("ar", "راجِع قبل الإرسال"), ("en", "Review before sending")],
)
def test_choice_page_speaks_the_three_languages(
    organizer_client, own_event, frozen_now, language, text
):
    MessageFactory(event=own_event, scheduled_at=NOW)
    page = organizer_client.get(send_url(own_event), HTTP_ACCEPT_LANGUAGE=language)
    assert text in page.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirms_send_each_reminder_once_on_postgresql():
    event = EventFactory()
    rows = [MessageFactory(event=event, body=f"Rappel {n}", scheduled_at=NOW) for n in range(40)]
    ids = [row.pk for row in rows]
    counts = run_at_once(lambda: messages_send_now(event=event, message_ids=ids), times=8)

    assert sum(counts) == len(ids)
    assert sorted(message.body for message in sms.outbox) == sorted(row.body for row in rows)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
