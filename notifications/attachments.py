"""Attachments built at send time by the app that owns them.

The outbox stores ids, not files: an app that sends documents (forums: the personalised summary
PDF) registers a builder for its purpose from its AppConfig.ready(), and build_email() asks the
registry for the files of each row when it is sent. The dependency stays one way (that app imports
notifications, never the reverse), and a retried row is rebuilt from the same ids."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


AttachmentBuilder = Callable[[object], list[Attachment]]

_builders: dict[str, AttachmentBuilder] = {}


def attachment_builder_register(*, purpose: str, builder: AttachmentBuilder) -> None:
    """One builder per purpose; registering again (a reloaded AppConfig) replaces it."""
    _builders[purpose] = builder


def message_attachments(message) -> list[Attachment]:
    """The files to attach to this outbox row; none when no builder is registered for its purpose.
    A builder that raises makes the send fail, and the outbox retries it like a transport error."""
    builder = _builders.get(message.purpose)
    return list(builder(message)) if builder is not None else []
