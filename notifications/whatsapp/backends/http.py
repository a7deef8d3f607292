"""The WhatsApp Business Cloud API: one POST per message to
{WHATSAPP_GRAPH_URL}/{WHATSAPP_API_VERSION}/{WHATSAPP_PHONE_NUMBER_ID}/messages with the access
token as a bearer. The answer's messages[0].id (a "wamid.…") becomes Message.provider_id, which the
status webhooks later quote.

Failures are sorted like the HTTP SMS backend's: 4xx are permanent (unknown template, number not
on WhatsApp, outside the 24-hour window) and never retried, except the Graph API's throttling
codes, which come with a 400 as well as a 429; 429, 5xx, network errors and timeouts are retried
later with backoff by the outbox."""

from django.conf import settings

from notifications.sms import SmsResult
from notifications.sms.backends.http import classify_http_status, post_json

from .base import BaseWhatsAppBackend, WhatsAppMessage

# Graph API error codes that mean "too many, slow down" whatever the HTTP status: 4 (application
# request limit), 80007 (account rate limit), 130429 (throughput), 131048 (spam rate limit),
# 131056 (too many messages to one number), 133016 (registration rate limit).
THROTTLING_CODES = {4, 80007, 130429, 131048, 131056, 133016}


def graph_payload(message: WhatsAppMessage) -> dict:
    """The JSON body of one send, in the Cloud API's shape."""
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        # The API takes the number in international form without the plus sign.
        "to": message.to.lstrip("+"),
    }
    if not message.is_template:
        payload["type"] = "text"
        payload["text"] = {"preview_url": False, "body": message.text}
        return payload
    template = {"name": message.template, "language": {"code": message.language_code}}
    if message.parameters:
        template["components"] = [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "parameter_name": name, "text": value or "-"}
                    for name, value in message.parameters
                ],
            }
        ]
    payload["type"] = "template"
    payload["template"] = template
    return payload


class WhatsAppBackend(BaseWhatsAppBackend):
    def __init__(
        self,
        *args,
        base_url=None,
        version=None,
        phone_number_id=None,
        token=None,
        timeout=10,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        base_url = (base_url or settings.WHATSAPP_GRAPH_URL).rstrip("/")
        version = version or settings.WHATSAPP_API_VERSION
        phone_number_id = phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID
        self.token = token if token is not None else settings.WHATSAPP_ACCESS_TOKEN
        self.timeout = timeout
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("WHATSAPP_GRAPH_URL must be an http(s) URL")
        if not phone_number_id or not self.token:
            raise ValueError("WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN must be set")
        self.url = f"{base_url}/{version}/{phone_number_id}/messages"

    def send_messages(self, messages: list[WhatsAppMessage]) -> list[SmsResult]:
        return [self._send_one(message) for message in messages]

    def _send_one(self, message: WhatsAppMessage) -> SmsResult:
        answer = post_json(
            self.url,
            graph_payload(message),
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=self.timeout,
            provider="WhatsApp API",
        )
        if isinstance(answer, SmsResult):
            return answer
        status, body = answer.status, answer.body
        outcome = classify_http_status(status)
        if outcome == SmsResult.SENT:
            provider_id = _message_id(body)
            if not provider_id:
                # Accepted without an id: we could never match a receipt, and a resend could
                # duplicate; record it as sent with what we know rather than guess.
                return SmsResult(SmsResult.SENT, provider_id="", extra={"body": "no message id"})
            return SmsResult(SmsResult.SENT, provider_id=provider_id[:200])
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        code = error.get("code")
        if code in THROTTLING_CODES:
            outcome = SmsResult.RETRY
        # "(error n)" keeps the code apart from the status: two numbers side by side would read
        # as a phone number to the scrubber that masks errors before organizers see them.
        text = error.get("title") or error.get("message") or ""
        label = f"HTTP {status} (error {code})" if code is not None else f"HTTP {status}"
        return SmsResult(outcome, error=f"{label} {text}".strip()[:300], extra={"code": code})


def _message_id(body: dict) -> str:
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        return str(messages[0].get("id") or "")
    return ""
