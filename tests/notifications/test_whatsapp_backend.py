"""The WhatsApp Cloud API backend against a local server playing the Graph API: the request it
sends, the message id it reads back, and how each kind of refusal is sorted."""

import io
import socket

import pytest

from notifications import whatsapp
from notifications.sms import SmsResult
from notifications.whatsapp import WhatsAppMessage
from notifications.whatsapp.backends import console, http, locmem
from tests.fakes.graph_api import FakeGraphApi

TEMPLATE = WhatsAppMessage(
    to="+212600000001",
    template="multaqa_reminder",
    language_code="ar",
    parameters=[("event", "لقاء"), ("date", "12 ديسمبر"), ("time", "10:00")],
    idempotency_key="reminder:r1:s1:180:whatsapp",
)


@pytest.fixture
def graph():
    fake = FakeGraphApi().start()
    yield fake
    fake.stop()


def backend(graph, **kwargs):
    return http.WhatsAppBackend(
        base_url=graph.base_url,
        version="v21.0",
        phone_number_id=graph.phone_number_id,
        token=graph.token,
        timeout=2,
        **kwargs,
    )


def test_a_template_is_posted_with_named_body_parameters_and_the_wamid_kept(graph):
    [result] = backend(graph).send_messages([TEMPLATE])
    assert result.status == SmsResult.SENT
    assert result.provider_id == graph.requests[0]["answer"]["messages"][0]["id"]
    assert result.provider_id.startswith("wamid.")
    request = graph.requests[0]
    assert request["path"] == "/v21.0/1234567890/messages"
    assert request["json"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "212600000001",
        "type": "template",
        "template": {
            "name": "multaqa_reminder",
            "language": {"code": "ar"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "parameter_name": "event", "text": "لقاء"},
                        {"type": "text", "parameter_name": "date", "text": "12 ديسمبر"},
                        {"type": "text", "parameter_name": "time", "text": "10:00"},
                    ],
                }
            ],
        },
    }


def test_free_text_goes_as_a_text_message(graph):
    message = WhatsAppMessage(to="+33612345678", text="Bonjour, la salle est au 1er étage.")
    [result] = backend(graph).send_messages([message])
    assert result.ok
    assert graph.requests[0]["json"]["type"] == "text"
    assert graph.requests[0]["json"]["text"] == {
        "preview_url": False,
        "body": "Bonjour, la salle est au 1er étage.",
    }


def test_an_empty_parameter_is_sent_as_a_dash_since_the_api_refuses_empty_text(graph):
    message = WhatsAppMessage(
        to="+212600000001", template="t", language_code="fr", parameters=[("place", "")]
    )
    backend(graph).send_messages([message])
    parameters = graph.requests[0]["json"]["template"]["components"][0]["parameters"]
    assert parameters == [{"type": "text", "parameter_name": "place", "text": "-"}]


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 132001, SmsResult.FAILED),  # template does not exist in this language
        (400, 131026, SmsResult.FAILED),  # message undeliverable (not on WhatsApp)
        (401, 190, SmsResult.FAILED),  # token expired: a person must act
        (400, 131056, SmsResult.RETRY),  # pair rate limit, reported with a 400
        (400, 130429, SmsResult.RETRY),  # throughput limit
        (429, 4, SmsResult.RETRY),
        (500, 1, SmsResult.RETRY),
        (503, 2, SmsResult.RETRY),
    ],
)
def test_refusals_are_sorted_into_permanent_and_retryable(graph, status, code, expected):
    graph.error(status, code, "provider says no")
    [result] = backend(graph).send_messages([TEMPLATE])
    assert result.status == expected
    assert result.error.startswith(f"HTTP {status} (error {code})")
    assert result.provider_id == ""


def test_a_wrong_token_is_a_permanent_failure(graph):
    wrong = http.WhatsAppBackend(
        base_url=graph.base_url, phone_number_id=graph.phone_number_id, token="wrong", timeout=2
    )
    [result] = wrong.send_messages([TEMPLATE])
    assert result.status == SmsResult.FAILED
    assert "190" in result.error


def test_an_unreachable_api_is_retried_later():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = http.WhatsAppBackend(
        base_url=f"http://127.0.0.1:{port}", phone_number_id="1", token="t", timeout=1
    )
    [result] = closed.send_messages([TEMPLATE])
    assert result.status == SmsResult.RETRY
    assert "unreachable" in result.error


def test_a_batch_partly_succeeds_in_order(graph):
    graph.answer(200, {"messages": [{"id": "wamid.first"}]})
    graph.error(400, 131026)
    graph.answer(200, {"messages": [{"id": "wamid.third"}]})
    results = backend(graph).send_messages([TEMPLATE, TEMPLATE, TEMPLATE])
    assert [(r.status, r.provider_id) for r in results] == [
        (SmsResult.SENT, "wamid.first"),
        (SmsResult.FAILED, ""),
        (SmsResult.SENT, "wamid.third"),
    ]


def test_the_http_backend_refuses_to_start_without_credentials(settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with pytest.raises(ValueError, match="WHATSAPP_PHONE_NUMBER_ID"):
        http.WhatsAppBackend()
    with pytest.raises(ValueError, match="http"):
        http.WhatsAppBackend(base_url="file:///etc", phone_number_id="1", token="t")


def test_the_backend_is_chosen_by_the_setting(settings, graph):
    settings.WHATSAPP_BACKEND = "notifications.whatsapp.backends.http.WhatsAppBackend"
    settings.WHATSAPP_GRAPH_URL = graph.base_url
    settings.WHATSAPP_PHONE_NUMBER_ID = graph.phone_number_id
    settings.WHATSAPP_ACCESS_TOKEN = graph.token
    connection = whatsapp.get_connection()
    assert isinstance(connection, http.WhatsAppBackend)
    assert connection.send_messages([TEMPLATE])[0].ok


def test_console_backend_masks_the_number_and_shows_the_template():
    stream = io.StringIO()
    [result] = console.WhatsAppBackend(stream=stream).send_messages([TEMPLATE])
    out = stream.getvalue()
    assert result.ok and result.provider_id.startswith("wamid.console-")
    assert "+2126…001" in out and "+212600000001" not in out
    assert "multaqa_reminder [ar] event=لقاء" in out


def test_locmem_backend_keeps_an_outbox():
    whatsapp.outbox = []
    results = locmem.WhatsAppBackend().send_messages([TEMPLATE])
    assert results[0].ok
    assert whatsapp.outbox == [TEMPLATE]
