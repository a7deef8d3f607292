import io

import pytest
from pypdf import PdfReader

from events.models import Registration, Ticket
from tests.events.test_registration_services import CHILD, register, tickets_of
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def inline_management(total: int) -> dict:
    return {
        "members-TOTAL_FORMS": str(total),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }


def test_registration_added_in_the_admin_gets_tickets_through_the_service(admin_client):
    event = EventFactory(capacity=2)
    data = {
        "event": event.pk,
        "kind": "household",
        "contact_name": "Fatou",
        "phone": "0612345678",
        "email": "",
        "language": "fr",
        "consent_contact": "on",
        **inline_management(3),
    }
    for index, (name, gender, age) in enumerate(
        [("Fatou", "female", "25-59"), ("Awa", "female", "5-11"), ("", "male", "0-4")]
    ):
        data.update(
            {
                f"members-{index}-first_name": name,
                f"members-{index}-gender": gender,
                f"members-{index}-age_band": age,
                f"members-{index}-profile": "migrant",
                f"members-{index}-is_contact": "on" if index == 0 else "",
            }
        )
    response = admin_client.post("/admin/events/registration/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = Registration.objects.get()
    assert registration.source == Registration.Source.ADMIN
    assert registration.phone == "+212612345678"
    assert registration.consent_recorded_at is not None
    statuses = set(
        Ticket.objects.filter(attendee__registration=registration).values_list("status", flat=True)
    )
    assert statuses == {Ticket.Status.WAITLISTED}  # three people, two places: kept together


def test_organizer_sees_registrations_in_the_admin(admin_client):
    registration = register(EventFactory(), members=[CHILD])
    response = admin_client.get("/admin/events/registration/")
    assert registration.contact_name in response.content.decode()
    page = admin_client.get(f"/admin/events/registration/{registration.pk}/change/")
    assert page.status_code == 200
    assert registration.get_absolute_url() in page.content.decode()
    assert f"/events/{registration.event_id}/badges.pdf?registration={registration.pk}" in (
        page.content.decode()
    )


def test_admin_actions_cancel_reissue_and_print(admin_client):
    registration = register(EventFactory(), members=[CHILD])
    first, second = tickets_of(registration)
    old_secret = first.secret
    admin_client.post(
        "/admin/events/ticket/", {"action": "reissue_tickets", "_selected_action": [first.pk]}
    )
    admin_client.post(
        "/admin/events/ticket/", {"action": "cancel_tickets", "_selected_action": [second.pk]}
    )
    assert not Ticket.objects.filter(secret=old_secret).exists()
    second.refresh_from_db()
    assert second.status == Ticket.Status.CANCELLED
    response = admin_client.post(
        "/admin/events/registration/",
        {"action": "print_badges", "_selected_action": [registration.pk]},
    )
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 1


def test_ticket_search_accepts_a_typed_short_code(admin_client):
    ticket = tickets_of(register(EventFactory()))[0]
    typed = f"{ticket.short_code[:4].lower()} {ticket.short_code[4:].lower()}"
    response = admin_client.get("/admin/events/ticket/", {"q": typed})
    assert response.context["cl"].result_count == 1
