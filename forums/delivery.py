"""Delivering a forum summary to the partners, through the notifications outbox.

Each contact with an e-mail of each organisation linked to the forum gets one e-mail per summary
version, in the contact's language, with the summary PDF personalised for its organisation (its
own recommendations first) and a signed link to its partner page. The outbox row's idempotency key
is (summary version, contact): closing twice, a retried task or a second click never sends twice;
only a new version (summary_build(new_version=True)) is delivered again, once.

The PDF is not stored in the outbox: the row carries ids in `payload`, and the builder registered
with notifications.attachments (from ForumsConfig.ready) renders it at send time. forums imports
notifications, never the reverse."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from events.models import Event
from notifications.attachments import Attachment
from notifications.models import Channel, Message, Purpose
from notifications.rendering import opt_out_url, render_for
from notifications.services import message_schedule, messages_dispatch, messages_retry_failed
from notifications.tokens import recipient_hash

from . import selectors
from .models import ForumSummary
from .partners import partner_link_url
from .services import summary_build
from .summary import summary_pdf_render, summary_view


def delivery_key(*, summary_id: int, contact_id: int) -> str:
    return f"{Purpose.FORUM_SUMMARY}:s{summary_id}:c{contact_id}"


@transaction.atomic
def summary_publish(
    *, event: Event, new_version: bool = False, user=None, language: str = ""
) -> ForumSummary:
    """Build the summary (idempotent unless new_version) and deliver it once the build is
    committed. Delivering an already delivered version is a no-op, so calling this again after
    a crash between the two steps completes the delivery without doubles."""
    from .tasks import forum_summary_deliver_task

    summary = summary_build(event=event, new_version=new_version, user=user, language=language)
    summary_id = summary.pk
    transaction.on_commit(lambda: forum_summary_deliver_task.delay(summary_id))
    return summary


def _context(summary: ForumSummary, contact, language: str) -> dict:
    view = summary_view(summary.data, language=language, organization_id=contact.organization_id)
    return {
        "name": contact.name,
        "organization": contact.organization.name,
        "event": view["title"],
        "version": summary.number,
        "recommendation_count": view["recommendation_count"],
        "own_count": len(view["own_recommendations"]),
        "partner_url": partner_link_url(contact=contact),
        "opt_out_url": opt_out_url(Channel.EMAIL, recipient_hash(Channel.EMAIL, contact.email)),
    }


def summary_deliver(*, summary_id: int) -> list[int]:
    """Put one e-mail per recipient contact in the outbox and dispatch the ones that are due.
    Returns the outbox row ids. A version that a newer one replaced is not delivered."""
    summary = ForumSummary.objects.select_related("event").get(pk=summary_id)
    latest = selectors.summary_latest(event=summary.event)
    if latest is not None and latest.pk != summary.pk:
        return []
    ids = []
    with transaction.atomic():
        for contact in selectors.summary_recipient_contacts(event=summary.event):
            language = contact.preferred_language
            subject, body = render_for(
                purpose=Purpose.FORUM_SUMMARY,
                channel=Channel.EMAIL,
                language=language,
                context=_context(summary, contact, language),
                organization_id=summary.event.organizer_id,
            )
            message, _created = message_schedule(
                idempotency_key=delivery_key(summary_id=summary.pk, contact_id=contact.pk),
                channel=Channel.EMAIL,
                recipient=contact.email,
                language=language,
                purpose=Purpose.FORUM_SUMMARY,
                subject=subject,
                body=body,
                scheduled_at=timezone.now(),
                event=summary.event,
                payload={
                    "summary": summary.pk,
                    "organization": contact.organization_id,
                    "contact": contact.pk,
                },
            )
            ids.append(message.pk)
        # Only rows still due are claimed: a sent or failed row is never sent again from here.
        messages_dispatch(ids=ids)
    return ids


def summary_delivery_retry(*, summary: ForumSummary) -> int:
    """Organizer action: the failed e-mails of this version go out again; sent ones do not."""
    latest = selectors.summary_latest(event=summary.event)
    if latest is not None and latest.pk != summary.pk:
        raise ApplicationError(
            _("A newer version of this summary exists; only the latest one is delivered."),
            code="summary_superseded",
            status=409,
        )
    failed = selectors.summary_messages(summary=summary).filter(status=Message.Status.FAILED)
    return messages_retry_failed(
        event=summary.event, message_ids=list(failed.values_list("pk", flat=True))
    )


def summary_attachments(message: Message) -> list[Attachment]:
    """The personalised PDF of an outbox row, rebuilt from the ids it carries."""
    payload = message.payload or {}
    summary = ForumSummary.objects.get(pk=payload["summary"])
    pdf = summary_pdf_render(
        summary.data, language=message.language, organization_id=payload.get("organization")
    )
    filename = f"forum-{summary.event_id}-summary-v{summary.number}-{message.language}.pdf"
    return [Attachment(filename=filename, content=pdf, mimetype="application/pdf")]
