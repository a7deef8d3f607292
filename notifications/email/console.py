"""The default e-mail backend: Django's console backend in development, a masked one otherwise.

With DEBUG on (`make run`) the whole message is printed, so that a developer sees what was sent.
With DEBUG off, a worker whose EMAIL_BACKEND was never set would otherwise print addresses, first
names and ticket links (enough to open a ticket) into logs that outlive the messages: it prints
only a masked address and the message id, like the console SMS backend does with numbers."""

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


def masked_address(address: str) -> str:
    """Enough to tell messages apart, not to write to anybody."""
    local, _at, domain = address.rpartition("@")
    if not local:
        return "…"
    return f"{local[:1]}…@…{domain[-3:]}"


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        if settings.DEBUG:
            return super().write_message(message)
        recipients = ", ".join(masked_address(address) for address in message.recipients())
        message_id = message.extra_headers.get("Message-ID", "")
        self.stream.write(
            f"--- e-mail to {recipients} {message_id}: subject and body withheld "
            "(DEBUG is off; set EMAIL_BACKEND to deliver)\n"
        )
