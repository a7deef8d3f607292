import io
import threading
from http.server import ThreadingHTTPServer

import pytest

from notifications import sms
from notifications.sms import SmsMessage, SmsResult
from notifications.sms.backends import console, file, http, locmem
from notifications.sms.segments import count_segments
from tests.fakes.json_http import JsonHandler


def test_short_plain_text_is_one_gsm7_segment():
    count = count_segments("Rappel: rencontre le 12/12 a 10:00.")
    assert (count.encoding, count.segments) == ("GSM-7", 1)


def test_gsm7_single_segment_limit_is_160_then_153_per_part():
    assert count_segments("a" * 160).segments == 1
    assert count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3


def test_gsm7_extension_characters_take_two_septets():
    count = count_segments("€" * 80)
    assert (count.encoding, count.units, count.segments) == ("GSM-7", 160, 1)
    assert count_segments("€" * 81).segments == 2


def test_accented_french_letters_in_the_gsm_alphabet_stay_gsm7():
    assert count_segments("Inscription confirmée à la fête").encoding == "UCS-2"  # ê is not GSM-7
    assert count_segments("Inscription confirmée à la réunion").encoding == "GSM-7"


def test_arabic_forces_ucs2_with_70_then_67_per_part():
    assert (count_segments("م" * 70).encoding, count_segments("م" * 70).segments) == ("UCS-2", 1)
    assert count_segments("م" * 71).segments == 2
    assert count_segments("م" * 134).segments == 2
    assert count_segments("م" * 135).segments == 3


def test_characters_outside_the_bmp_count_two_ucs2_units():
    assert count_segments("🙂" * 35).units == 70
    assert count_segments("🙂" * 36).segments == 2


def test_more_than_two_segments_is_flagged():
    assert not count_segments("a" * 306).too_long
    assert count_segments("a" * 307).too_long


def test_default_sms_templates_stay_short():
    """Latin-script SMS within two segments; Arabic (UCS-2) within three, with real-length links."""
    from notifications.default_templates import DEFAULT_TEMPLATES
    from notifications.rendering import render_texts

    sample = {
        "event": "Rencontre conviviale",
        "session_date": "12 décembre 2026",
        "session_time": "10:00",
        "venue": "Maison de quartier Lazaret, Oujda",
        "short_code": "K7P2-9QXM",
        "ticket_url": "https://multaqa.ma/tickets/Xq3v9TzPz0c1Hc6mJmI0wQ2yYpVv0b9r/",
        "feedback_url": "https://multaqa.ma/feedback/1234-0123456789abcdef/",
        "opt_out_url": "https://multaqa.ma/stop/1234s-0123456789ab/",
    }
    for (purpose, channel, language), (_subject, body) in DEFAULT_TEMPLATES.items():
        if channel == "sms":
            text = render_texts(subject="", body=body, context=sample)[1]
            limit = 3 if language == "ar" else 2
            assert count_segments(text).segments <= limit, (purpose, language)


def test_locmem_backend_keeps_an_outbox():
    sms.outbox = []
    results = locmem.SmsBackend().send_messages(
        [SmsMessage("+212600000001", "hi"), SmsMessage("+212600000002", "yo")]
    )
    assert [r.status for r in results] == ["sent", "sent"] and len(sms.outbox) == 2


def test_console_backend_writes_to_its_stream():
    stream = io.StringIO()
    [result] = console.SmsBackend(stream=stream).send_messages(
        [SmsMessage("+212600000001", "Bonjour", "Multaqa", "k1")]
    )
    assert result.ok and "Bonjour" in stream.getvalue() and "[k1]" in stream.getvalue()
    assert "+212600000001" not in stream.getvalue()  # masked: logs are kept


def test_file_backend_appends_to_a_file(tmp_path):
    backend = file.SmsBackend(file_path=tmp_path)
    backend.send_messages([SmsMessage("+212600000001", "premier")])
    backend.send_messages([SmsMessage("+212600000001", "second")])
    [written] = list(tmp_path.iterdir())
    assert "premier" in written.read_text() and "second" in written.read_text()


def test_get_connection_uses_the_setting(settings):
    settings.SMS_BACKEND = "notifications.sms.backends.console.SmsBackend"
    assert isinstance(sms.get_connection(), console.SmsBackend)


class FakeGateway:
    """A local HTTP server standing in for the provider; answers with the queued statuses."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        self.release = threading.Event()
        gateway = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.read_json()
                gateway.requests.append({"headers": dict(self.headers), "body": body})
                status, reply = gateway.replies.pop(0) if gateway.replies else (200, {"id": "m-1"})
                if status == 0:  # a provider that hangs until the test is over
                    gateway.release.wait(10)
                    return
                self.reply_json(status, reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = FakeGateway()
    yield server
    server.close()


def test_http_backend_posts_json_with_bearer_and_idempotency_key(gateway):
    backend = http.SmsBackend(url=gateway.url, token="secret-token")
    [result] = backend.send_messages(
        [SmsMessage("+212600000001", "Bonjour", "Multaqa", "reminder:r1:s1:180:sms")]
    )
    assert result.ok and result.provider_id == "m-1"
    [request] = gateway.requests
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["headers"]["Idempotency-Key"] == "reminder:r1:s1:180:sms"
    assert request["body"] == {
        "to": "+212600000001",
        "from": "Multaqa",
        "text": "Bonjour",
        "reference": "reminder:r1:s1:180:sms",
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, SmsResult.FAILED),
        (404, SmsResult.FAILED),
        (422, SmsResult.FAILED),
        (401, SmsResult.FAILED),
        (429, SmsResult.RETRY),
        (500, SmsResult.RETRY),
        (502, SmsResult.RETRY),
        (503, SmsResult.RETRY),
    ],
)
def test_http_backend_maps_provider_statuses(gateway, status, expected):
    gateway.replies.append((status, {"error": "invalid number" if status == 422 else "nope"}))
    [result] = http.SmsBackend(url=gateway.url, token="t").send_messages(
        [SmsMessage("+212600000001", "x")]
    )
    assert result.status == expected
    assert result.error.startswith(f"HTTP {status}")


def test_http_backend_timeout_is_transient(gateway):
    gateway.replies.append((0, {}))
    [result] = http.SmsBackend(url=gateway.url, token="t", timeout=0.2).send_messages(
        [SmsMessage("+212600000001", "x")]
    )
    assert result.status == SmsResult.RETRY and "timeout" in result.error


def test_http_backend_unreachable_provider_is_transient():
    [result] = http.SmsBackend(url="http://127.0.0.1:9/send", token="t", timeout=1).send_messages(
        [SmsMessage("+2126", "x")]
    )
    assert result.status == SmsResult.RETRY


def test_http_backend_refuses_a_non_http_url():
    with pytest.raises(ValueError):
        http.SmsBackend(url="file:///etc/passwd")
