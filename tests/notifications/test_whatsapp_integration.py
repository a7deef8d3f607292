"""End to end with a real Celery worker on Redis and PostgreSQL, the Graph API played by a local
server, the SMS gateway and SMTP server of test_integration: a person who chose WhatsApp gets
their confirmation as an Arabic template; an SMS never delivered falls back to e-mail once, on
the provider's word (the signal the receipts webhook sends) and on the sweep's clock."""

import datetime

import pytest
from django.utils import timezone

from core.demographics import AgeBand, Gender
from events.models import Registration, Ticket
from events.services.registrations import PersonData, registration_create
from notifications.models import Message
from notifications.signals import message_undeliverable
from notifications.tasks import messages_fallback_sweep_task
from tests.fakes.graph_api import FakeGraphApi

from . import test_integration as base

# The real worker, the SMS gateway and the SMTP server of the outbox's own integration test.
received, sms_gateway, smtp_server = base.received, base.sms_gateway, base.smtp_server
worker_env, worker, wait_until = base.worker_env, base.worker, base.wait_until

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def graph(worker_env):
    fake = FakeGraphApi().start()
    # The worker is started by the test, after this: it reads these at start.
    worker_env.update(
        {
            "WHATSAPP_BACKEND": "notifications.whatsapp.backends.http.WhatsAppBackend",
            "WHATSAPP_GRAPH_URL": fake.base_url,
            "WHATSAPP_API_VERSION": "v21.0",
            "WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
            "WHATSAPP_ACCESS_TOKEN": fake.token,
        }
    )
    yield fake
    fake.stop()


@pytest.fixture
def soon_event(event):
    session = event.sessions.get()
    session.date = timezone.localdate() + datetime.timedelta(days=5)
    session.save()
    event.start_date = event.end_date = session.date
    event.save()
    return event


def register(event, phone, **fields):
    return registration_create(
        event=event,
        contact=PersonData(gender=Gender.FEMALE, age_band=AgeBand.AGE_25_59, first_name="Awa"),
        phone=phone,
        consent_register=True,
        consent_contact=True,
        source=Registration.Source.WEB,
        **fields,
    )


def test_whatsapp_confirmation_and_sms_fallback_through_the_real_worker(
    soon_event, graph, worker, received, whatsapp_templates
):
    worker.start()
    on_whatsapp = register(
        soon_event,
        "+212611111111",
        language="ar",
        preferred_channel="whatsapp",
        whatsapp_opt_in=True,
    )
    assert wait_until(lambda: len(graph.sent()) == 1, timeout=30), graph.requests
    [payload] = graph.sent()
    ticket = Ticket.objects.get(attendee__registration=on_whatsapp)
    assert payload["to"] == "212611111111"
    assert payload["template"]["name"] == "multaqa_confirmation"
    assert payload["template"]["language"] == {"code": "ar"}
    parameters = payload["template"]["components"][0]["parameters"]
    assert {"type": "text", "parameter_name": "codes", "text": str(ticket)} in parameters
    confirmation = Message.objects.get(registration=on_whatsapp, purpose="confirmation")
    assert wait_until(lambda: Message.objects.get(pk=confirmation.pk).status == "sent", timeout=10)
    confirmation.refresh_from_db()
    assert confirmation.provider_id == graph.requests[0]["answer"]["messages"][0]["id"]
    reminders = Message.objects.filter(registration=on_whatsapp, purpose="reminder")
    # The same task writes the reminders just after sending the confirmation.
    assert wait_until(lambda: reminders.count() == 2, timeout=10)
    assert set(reminders.values_list("channel", flat=True)) == {"whatsapp"}

    # Two people who chose SMS and gave an e-mail: one SMS is reported undeliverable by the
    # provider, the other never gets a receipt.
    by_report, by_clock = (
        register(soon_event, phone, email=f"p{n}@example.org", preferred_channel="sms")
        for n, phone in enumerate(["+212622222222", "+212633333333"])
    )
    sms_rows = Message.objects.filter(
        registration__in=[by_report, by_clock], purpose="confirmation", channel="sms"
    )
    assert wait_until(lambda: sms_rows.filter(status="sent").count() == 2, timeout=30)
    first = sms_rows.get(registration=by_report)
    Message.objects.filter(pk=first.pk).update(status=Message.Status.FAILED)
    first.refresh_from_db()
    for _replay in range(3):
        message_undeliverable.send(sender=Message, message=first, reason="EXPIRED")
    late = sms_rows.get(registration=by_clock)
    Message.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=2))
    messages_fallback_sweep_task.delay()
    messages_fallback_sweep_task.delay()  # as if beat fired twice

    expected = {f"{first.idempotency_key}>email", f"{late.idempotency_key}>email"}
    assert wait_until(lambda: expected <= set(received.counts()), timeout=30), received.counts()
    messages_fallback_sweep_task.delay()
    wait_until(
        lambda: not Message.objects.filter(
            status__in=["scheduled", "sending"], purpose="confirmation"
        ).exists(),
        timeout=10,
    )
    counts = received.counts()
    assert all(counts[key] == 1 for key in expected)
    assert Message.objects.filter(purpose="confirmation", channel="email").count() == 2
    assert (
        Message.objects.filter(purpose="confirmation", channel="email", status="sent").count() == 2
    )
    worker.stop()
