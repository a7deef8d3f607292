"""Issue 20's round trip through every piece at once: a person who chose WhatsApp gets the
confirmation as a template, the provider's signed webhooks move it to delivered and read, their
"نعم" on WhatsApp confirms the registration and is answered on WhatsApp; a WhatsApp reminder the
provider could not deliver goes by SMS, once, however often the failure is reported."""

import pytest

from events.models import Registration
from notifications import sms, whatsapp
from notifications.models import InboundMessage, Message, Purpose

from .conftest import NOW
from .fake_providers import FakeMeta, client_transport, wa_body, wa_status, wa_text
from .test_channels import on_whatsapp

pytestmark = pytest.mark.django_db
APP_SECRET = "meta-app-secret"  # noqa: S105
AT = int(NOW.timestamp())


@pytest.fixture
def meta(client, settings, django_capture_on_commit_callbacks):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    provider = FakeMeta(client_transport(client), APP_SECRET)

    def post(body: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            answer = provider.post(body)
        assert answer.status_code == 200, answer.body
        return answer

    return post


@pytest.fixture(autouse=True)
def clean_whatsapp_outbox(whatsapp_templates):
    whatsapp.outbox = []
    yield
    whatsapp.outbox = []


def test_whatsapp_confirmation_is_read_and_a_yes_in_arabic_confirms(
    event, frozen_now, committed, meta
):
    registration = on_whatsapp(event, committed, language="ar")
    confirmation = Message.objects.get(
        registration=registration, purpose=Purpose.CONFIRMATION, channel="whatsapp"
    )
    assert confirmation.status == Message.Status.SENT and confirmation.provider_id
    assert whatsapp.outbox[0].template and whatsapp.outbox[0].language_code == "ar"

    # Read arrives before delivered, and the provider replays both.
    for _ in range(2):
        meta(wa_body(statuses=[wa_status(confirmation.provider_id, "read", AT + 20)]))
        meta(wa_body(statuses=[wa_status(confirmation.provider_id, "delivered", AT + 10)]))
    confirmation.refresh_from_db()
    assert confirmation.status == Message.Status.READ
    assert confirmation.delivered_at and confirmation.read_at

    meta(wa_body(messages=[wa_text("212612345678", "wamid.in-1", "نعم", AT + 30)]))
    meta(wa_body(messages=[wa_text("212612345678", "wamid.in-1", "نعم", AT + 30)]))  # replay
    registration.refresh_from_db()
    assert registration.answer == Registration.Answer.CONFIRMED
    assert InboundMessage.objects.count() == 1
    (answer,) = Message.objects.filter(purpose=Purpose.REPLY)
    assert answer.channel == "whatsapp" and answer.status == Message.Status.SENT
    assert whatsapp.outbox[-1].text == answer.body  # free text, inside the 24-hour window
    assert sms.outbox == []


def test_an_undeliverable_whatsapp_message_goes_by_sms_once(event, frozen_now, committed, meta):
    registration = on_whatsapp(event, committed, language="fr")
    confirmation = Message.objects.get(
        registration=registration, purpose=Purpose.CONFIRMATION, channel="whatsapp"
    )
    failure = wa_status(
        confirmation.provider_id,
        "failed",
        AT + 5,
        errors=[{"code": 131026, "title": "Message undeliverable"}],
    )
    for _ in range(3):
        meta(wa_body(statuses=[failure]))

    confirmation.refresh_from_db()
    assert confirmation.status == Message.Status.FAILED
    (fallback,) = confirmation.fallbacks.all()
    assert fallback.channel == "sms" and fallback.status == Message.Status.SENT
    assert [m.to for m in sms.outbox] == [registration.phone]


def test_a_server_without_whatsapp_credentials_sends_by_sms_instead(
    event, frozen_now, committed, settings
):
    settings.WHATSAPP_BACKEND = "notifications.whatsapp.backends.http.WhatsAppBackend"
    settings.WHATSAPP_ACCESS_TOKEN = ""
    registration = on_whatsapp(event, committed, language="fr")
    confirmation = Message.objects.get(
        registration=registration, purpose=Purpose.CONFIRMATION, channel="whatsapp"
    )
    assert confirmation.status == Message.Status.FAILED
    assert "not configured" in confirmation.last_error and confirmation.attempts == 1
    (fallback,) = confirmation.fallbacks.all()
    assert fallback.channel == "sms" and fallback.status == Message.Status.SENT
    assert [m.to for m in sms.outbox] == [registration.phone]
