"""The providers' side of the webhooks, played locally: builds the bodies Meta's WhatsApp Cloud
API and an HTTP SMS gateway post, signs them as they do, and posts the exact bytes, either
through Django's test client or over real HTTP to the live server."""

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

WHATSAPP_PATH = "/api/v1/notifications/whatsapp/webhook"
SMS_REPORT_PATH = "/api/v1/notifications/sms/delivery-report"


@dataclass
class Answer:
    status_code: int
    body: bytes

    def json(self):
        return json.loads(self.body)


def meta_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def wa_status(provider_id: str, status: str, timestamp: int, errors=None) -> dict:
    item = {
        "id": provider_id,
        "status": status,
        "timestamp": str(timestamp),
        "recipient_id": "212612345678",
    }
    if errors:
        item["errors"] = errors
    return item


def wa_text(sender: str, provider_id: str, text: str, timestamp: int) -> dict:
    return {
        "from": sender,
        "id": provider_id,
        "timestamp": str(timestamp),
        "type": "text",
        "text": {"body": text},
    }


def wa_body(*, statuses=(), messages=()) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "212500000000", "phone_number_id": "1234"},
    }
    if statuses:
        value["statuses"] = list(statuses)
    if messages:
        value["contacts"] = [{"profile": {"name": "X"}, "wa_id": m["from"]} for m in messages]
        value["messages"] = list(messages)
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


class FakeMeta:
    """Posts signed webhooks. `transport(path, body, headers) -> Answer`."""

    def __init__(self, transport, app_secret: str):
        self.transport = transport
        self.app_secret = app_secret

    def post(self, body: bytes, *, signature: str | None = None) -> Answer:
        headers = {"Content-Type": "application/json"}
        signature = meta_signature(self.app_secret, body) if signature is None else signature
        if signature:
            headers["X-Hub-Signature-256"] = signature
        return self.transport(WHATSAPP_PATH, body, headers)

    def statuses(self, *statuses) -> Answer:
        return self.post(wa_body(statuses=statuses))


class FakeSmsGateway:
    def __init__(self, transport, token: str):
        self.transport = transport
        self.token = token

    def report(self, *, json_body=None, form=None, token=None, in_query=False) -> Answer:
        token = self.token if token is None else token
        path, headers = SMS_REPORT_PATH, {}
        if in_query:
            path += f"?token={token}"
        elif token:
            headers["Authorization"] = f"Bearer {token}"
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        return self.transport(path, body, headers)


def client_transport(client):
    """Django's test client, carrying the exact bytes."""

    def send(path, body, headers):
        extra = {k: v for k, v in headers.items() if k != "Content-Type"}
        response = client.generic(
            "POST", path, body, content_type=headers.get("Content-Type", ""), headers=extra
        )
        return Answer(response.status_code, response.content)

    return send


def http_transport(base_url: str):
    """Real HTTP to the live server, as the provider would call us."""

    def send(path, body, headers):
        request = urllib.request.Request(base_url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, response.read())
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.read())

    return send
