"""The contract every SMS backend keeps: send_messages() takes SmsMessage objects and returns one
SmsResult per message, in order, instead of raising, so that a batch can partly succeed."""

from dataclasses import dataclass, field


@dataclass
class SmsMessage:
    to: str
    body: str
    sender: str = ""
    # Passed to providers that deduplicate, so that a retried request is not a second SMS.
    idempotency_key: str = ""


@dataclass
class SmsResult:
    SENT = "sent"
    FAILED = "failed"  # permanent: do not try again (invalid number, rejected content)
    RETRY = "retry"  # transient: try again later (rate limit, provider down, timeout)

    status: str
    provider_id: str = ""
    error: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == self.SENT


class BaseSmsBackend:
    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        raise NotImplementedError("SMS backends must implement send_messages()")
