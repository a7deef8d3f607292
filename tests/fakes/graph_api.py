"""A local HTTP server playing the WhatsApp Business Cloud API (Graph API): it records every POST
to /{version}/{phone-number-id}/messages and answers like the real one, 200 with a wamid, or
the status and error body a test queued (400 unknown template, 429 throttled, 500 down)."""

import json
import threading
import uuid
from http.server import ThreadingHTTPServer

from .json_http import JsonHandler


class FakeGraphApi:
    def __init__(self, *, token: str = "test-token", phone_number_id: str = "1234567890"):  # noqa: S107
        self.token = token
        self.phone_number_id = phone_number_id
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []  # queued answers, used first in, first out
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, status: int, body: dict | None = None, *, times: int = 1) -> None:
        with self.lock:
            self.answers.extend([(status, body or {})] * times)

    def error(self, status: int, code: int, message: str = "error", *, times: int = 1) -> None:
        self.answer(
            status,
            {"error": {"message": message, "type": "OAuthException", "code": code}},
            times=times,
        )

    def sent(self) -> list[dict]:
        """The JSON bodies of the accepted sends, in order."""
        with self.lock:
            return [r["json"] for r in self.requests if r["status"] == 200]

    def start(self) -> "FakeGraphApi":
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = None
                expected_path = f"/v21.0/{fake.phone_number_id}/messages"
                with fake.lock:
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        status, body = (
                            401,
                            {"error": {"message": "Invalid OAuth access token", "code": 190}},
                        )
                    elif self.path != expected_path or not isinstance(payload, dict):
                        status, body = (
                            400,
                            {"error": {"message": "Unsupported post request", "code": 100}},
                        )
                    elif fake.answers:
                        status, body = fake.answers.pop(0)
                    else:
                        wamid = f"wamid.{uuid.uuid4().hex}"
                        status, body = (
                            200,
                            {
                                "messaging_product": "whatsapp",
                                "contacts": [
                                    {"input": payload.get("to"), "wa_id": payload.get("to")}
                                ],
                                "messages": [{"id": wamid}],
                            },
                        )
                    fake.requests.append(
                        {"path": self.path, "json": payload, "status": status, "answer": body}
                    )
                self.reply_json(status, body)

        return Handler
