"""Releasing a document to a forum's partner contacts and delivering it, the same way whatever the
document: the summary of a forum (forums/delivery.py) or the follow-up report of the previous one
(forums/followup_delivery.py). A `PartnerDocument` says what differs between them.

A version is built as a draft; an organizer previews what each contact will receive and confirms
against the previewed version's hash (document_release): only the latest version goes, once the
release is committed. Delivery puts one e-mail per contact in the notifications outbox, keyed by
(version, contact): a double confirm, a retried task or two tabs never send twice. The PDF is not
stored in the outbox; the row carries ids and the builder registered with
notifications.attachments renders it at send time."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.services import audit_record
from notifications.models import Channel
from notifications.rendering import email_html
from notifications.services import message_schedule, messages_dispatch


@dataclass(frozen=True)
class PartnerDocument:
    # Names the error codes ("<name>_not_previewed", "<name>_superseded") and the audit action.
    name: str
    model: type[models.Model]
    purpose: str
    # The idempotency key of a contact's e-mail is "<purpose>:<key_prefix><version id>:c<contact id>".
    key_prefix: str
    superseded_message: str
    # The Celery task that delivers one released version (dotted path: tasks import this module).
    deliver_task: str
    latest: Callable  # (document) -> the event's latest version, or None
    recipients: Callable  # (document) -> the contacts with an e-mail
    email: Callable  # (document, contact) -> (language, subject, body)
    payload: Callable  # (document, contact) -> the ids the attachment builder reads
    related: tuple[str, ...] = ("event",)

    def delivery_key(self, document_id: int, contact_id: int) -> str:
        return f"{self.purpose}:{self.key_prefix}{document_id}:c{contact_id}"


def document_require_latest(kind: PartnerDocument, document) -> None:
    latest = kind.latest(document)
    if latest is not None and latest.pk != document.pk:
        raise ApplicationError(kind.superseded_message, code=f"{kind.name}_superseded", status=409)


def document_release(
    kind: PartnerDocument,
    *,
    document_id: int,
    previewed_sha256: str,
    user=None,
    check: Callable | None = None,
    audit_detail: Callable | None = None,
):
    """The organizer's confirmation after the preview: refused when the version is not the one
    previewed, a newer one exists, or `check(document)` refuses; then the version is marked
    released (once, audited with `audit_detail(document)`) and delivered after commit. Releasing
    again only re-runs the delivery."""
    with transaction.atomic():
        document = (
            kind.model.objects.select_for_update().select_related("event").get(pk=document_id)
        )
        if document.sha256 != previewed_sha256:
            raise ApplicationError(
                _("This is not the version you previewed. Preview it again before sending."),
                code=f"{kind.name}_not_previewed",
                status=409,
            )
        document_require_latest(kind, document)
        if check is not None:
            check(document)
        if document.released_at is None:
            document.released_at, document.released_by = timezone.now(), user
            document.save(update_fields=["released_at", "released_by"])
            audit_record(
                actor=user,
                action=f"forums.{kind.name}_released",
                target=document,
                detail=audit_detail(document) if audit_detail else None,
            )
        task, document_pk = import_string(kind.deliver_task), document.pk
        transaction.on_commit(lambda: task.delay(document_pk))
    return document


def document_deliver(kind: PartnerDocument, *, document_id: int) -> list[int]:
    """Put one e-mail per recipient contact in the outbox and dispatch the ones that are due.
    Returns the outbox row ids. A draft (not released) or a version that a newer one replaced is
    not delivered."""
    document = kind.model.objects.select_related(*kind.related).get(pk=document_id)
    latest = kind.latest(document)
    if document.released_at is None or (latest is not None and latest.pk != document.pk):
        return []
    ids = []
    with transaction.atomic():
        for contact in kind.recipients(document):
            language, subject, body = kind.email(document, contact)
            message, _created = message_schedule(
                idempotency_key=kind.delivery_key(document.pk, contact.pk),
                channel=Channel.EMAIL,
                recipient=contact.email,
                language=language,
                purpose=kind.purpose,
                subject=subject,
                body=body,
                scheduled_at=timezone.now(),
                event=document.event,
                payload=kind.payload(document, contact),
            )
            ids.append(message.pk)
        # Only rows still due are claimed: a sent or failed row is never sent again from here.
        messages_dispatch(ids=ids)
    return ids


def document_preview_context(kind: PartnerDocument, event, document, contacts, *, error=None):
    """What every preview page shows: each contact's e-mail, whether this version is the one
    that can still be sent, and the refusal of a confirmation, if any."""
    latest = kind.latest(document)
    return {
        "event": event,
        "is_latest": latest is not None and latest.pk == document.pk,
        "emails": document_email_previews(kind, document, contacts),
        "error": error,
    }


def document_email_previews(kind: PartnerDocument, document, contacts) -> list[dict]:
    """Each contact's e-mail as the preview shows it, made by the function that sends it."""
    previews = []
    for contact in contacts:
        language, subject, body = kind.email(document, contact)
        previews.append(
            {
                "contact": contact,
                "language": language,
                "subject": subject,
                # Escaped by email_html, exactly as in the e-mail's HTML part.
                "html": mark_safe(email_html(body, language)),  # noqa: S308
            }
        )
    return previews
