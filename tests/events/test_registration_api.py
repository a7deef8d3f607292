import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import EventStatus, Registration, Ticket
from tests.events.test_registration_services import register, tickets_of
from tests.factories import EventFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "contact": {
        "first_name": "Aminata",
        "gender": "female",
        "age_band": "25-59",
        "profile": "migrant",
    },
    "members": [
        {"gender": "female", "age_band": "5-11"},
        {"first_name": "Moussa", "gender": "male", "age_band": "0-4", "profile": "migrant"},
    ],
    "phone": "0612345678",
    "language": "ar",
    "consent_register": True,
    "consent_contact": True,
}


@pytest.fixture
def event(organizer):
    return EventFactory(programme__lead_organization=organizer.memberships.get().organization)


def post(client, event, payload):
    return client.post(
        f"/api/v1/events/{event.pk}/registrations", payload, content_type="application/json"
    )


def test_organizer_registers_a_family_through_the_api(organizer_client, event):
    response = post(organizer_client, event, PAYLOAD)
    assert response.status_code == 201, response.content
    body = response.json()
    registration = Registration.objects.get()
    assert body["id"] == registration.pk
    assert body["source"] == "api" and body["kind"] == "household"
    assert body["url"].endswith(registration.get_absolute_url())
    assert [t["status"] for t in body["tickets"]] == ["valid"] * 3
    assert body["tickets"][0]["is_contact"] is True
    assert len(body["tickets"][0]["short_code"]) == 9
    assert "phone" not in body and "email" not in body
    assert registration.phone == "+212612345678"
    assert registration.consent_wording_version


def test_api_registration_restricted_to_a_session(organizer_client, event):
    session = SessionFactory(event=event)
    response = post(organizer_client, event, {**PAYLOAD, "session_ids": [session.pk]})
    assert response.status_code == 201
    assert {t["session_ids"][0] for t in response.json()["tickets"]} == {session.pk}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"phone": "12"}, 400),
        ({"consent_register": False}, 400),
        ({"contact": {"gender": "woman", "age_band": "25-59"}}, 422),
        ({"contact": {"gender": "female"}}, 422),
        ({"session_ids": [999999]}, 400),
        ({"session_ids": [2**70]}, 422),
        ({"contact": {"first_name": "A\u0000", "gender": "female", "age_band": "25-59"}}, 400),
        ({"members": [{"gender": "male", "age_band": "0-4"}] * 61}, 422),
    ],
)
def test_bad_input_is_a_4xx_and_writes_nothing(organizer_client, event, change, status):
    response = post(organizer_client, event, {**PAYLOAD, **change})
    assert response.status_code == status, response.content
    assert not Registration.objects.exists()


def test_closed_event_is_a_conflict(organizer_client, organizer):
    event = EventFactory(
        programme__lead_organization=organizer.memberships.get().organization,
        status=EventStatus.CLOSED,
    )
    response = post(organizer_client, event, PAYLOAD)
    assert response.status_code == 409
    assert response.json()["code"] == "event_not_open"


def test_anonymous_caller_gets_401(client, event):
    assert post(client, event, PAYLOAD).status_code == 401
    assert client.get(f"/api/v1/events/{event.pk}/registrations").status_code == 401


def test_organizer_of_another_organisation_gets_404(client, event):
    client.force_login(MembershipFactory().user)
    assert post(client, event, PAYLOAD).status_code == 404


def test_list_registrations_of_an_event(organizer_client, event):
    register(event)
    register(EventFactory())
    response = organizer_client.get(f"/api/v1/events/{event.pk}/registrations")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_cancel_and_reissue_tickets_through_the_api(organizer_client, event):
    first, second = tickets_of(register(event)), tickets_of(register(event))
    old_secret = first[0].secret
    response = organizer_client.post(f"/api/v1/tickets/{first[0].pk}/reissue")
    assert response.status_code == 200
    assert not Ticket.objects.filter(secret=old_secret).exists()
    response = organizer_client.post(f"/api/v1/tickets/{second[0].pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert organizer_client.post(f"/api/v1/tickets/{second[0].pk}/cancel").status_code == 409


def test_other_organisation_cannot_touch_tickets(client, event):
    ticket = tickets_of(register(event))[0]
    client.force_login(MembershipFactory().user)
    assert client.post(f"/api/v1/tickets/{ticket.pk}/cancel").status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VALID


def test_csv_import_through_the_api_dry_run_then_real(organizer_client, event):
    content = b"first_name,gender,age_band\nAwa,female,5-11\nOmar,male,12-17\n"
    url = f"/api/v1/events/{event.pk}/registrations/import"
    response = organizer_client.post(url, {"file": SimpleUploadedFile("a.csv", content)})
    assert response.status_code == 200
    assert response.json()["registrations"] == 2 and response.json()["dry_run"] is True
    assert not Registration.objects.exists()
    response = organizer_client.post(
        url + "?dry_run=false", {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 200
    assert Registration.objects.filter(source="import").count() == 2
