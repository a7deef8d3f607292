"""The contract every WhatsApp backend keeps: send_messages() takes WhatsAppMessage objects and
returns one SmsResult per message (the outbox's result type: sent, failed for good, or retry),
in order, instead of raising."""

from dataclasses import dataclass, field

from notifications.sms import SmsResult


@dataclass
class WhatsAppMessage:
    to: str
    # A business-initiated message is an approved template: its provider name, the provider's
    # language code (fr, ar, en_US) and the named body parameters in the template's order.
    template: str = ""
    language_code: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)
    # Free text, allowed only inside the 24-hour window after the person wrote to us.
    text: str = ""
    idempotency_key: str = ""

    @property
    def is_template(self) -> bool:
        return bool(self.template)


class BaseWhatsAppBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[WhatsAppMessage]) -> list[SmsResult]:
        raise NotImplementedError("WhatsApp backends must implement send_messages()")


def describe(message: WhatsAppMessage) -> str:
    """A readable rendering for the console and the logs of `make run`."""
    if not message.is_template:
        return message.text
    params = ", ".join(f"{name}={value}" for name, value in message.parameters)
    return f"template {message.template} [{message.language_code}] {params}"
