"""A local HTTP server playing the SMS provider of notifications.sms.backends.http: it records every
request, answers with a status the test chooses (500 for a while, 429 with Retry-After, a slow
answer), and, like real providers, deduplicates by Idempotency-Key: a repeated key gets the id of
its first acceptance back and is not delivered twice."""

import threading
import time
from collections import Counter
from http.server import ThreadingHTTPServer

from tests.fakes.json_http import JsonHandler


class FakeSmsProvider:
    def __init__(self, *, delay: float = 0.0):
        self.lock = threading.Lock()
        self.delay = delay
        self.requests: list[tuple[str, float, int]] = []  # (key, monotonic time, status answered)
        self.accepted: dict[str, str] = {}  # key -> provider id (first acceptance)
        self.delivered: Counter = Counter()  # key -> times handed to the phone network
        # Called with the request number (0-based); returns (status, headers) or None for 200.
        self.answer = lambda number: None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/messages"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def request_counts(self) -> Counter:
        with self.lock:
            return Counter(key for key, _at, _status in self.requests)

    def accepted_times(self) -> list[float]:
        with self.lock:
            return [at for _key, at, status in self.requests if status == 200]

    def _respond(self, key: str) -> tuple[int, dict, dict]:
        with self.lock:
            number = len(self.requests)
            custom = self.answer(number)
            status, headers = custom if custom else (200, {})
            self.requests.append((key, time.monotonic(), status))
            if status != 200:
                return status, headers, {"error": "try later"}
            if key not in self.accepted:
                self.accepted[key] = f"fake-{len(self.accepted) + 1}"
                self.delivered[key] += 1
            return 200, {}, {"id": self.accepted[key]}

    def _handler(self):
        provider = self

        class Handler(JsonHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                payload = self.read_json()
                key = self.headers.get("Idempotency-Key") or payload["reference"]
                if provider.delay:
                    time.sleep(provider.delay)
                status, headers, body = provider._respond(key)
                self.reply_json(status, body, headers)

        return Handler
