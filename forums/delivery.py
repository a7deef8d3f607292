"""Delivering a forum summary to the partners, through the notifications outbox.

Closing a forum builds its summary as a draft; nothing goes out until an organizer has previewed
what each partner will receive (the e-mail and the PDF, in the contact's language, built by the
same functions as the real sending) and confirmed (summary_release). A summary without adopted
recommendations or without any attendance must be acknowledged explicitly before it goes.

Each contact with an e-mail of each organisation linked to the forum gets one e-mail per released
summary version, in the contact's language, with the summary PDF personalised for its
organisation (its own recommendations first) and a signed link to its partner page. The outbox
row's idempotency key is (summary version, contact): a double confirm, a retried task or two tabs
never send twice; only a new version, released in turn, is delivered again, once.

The PDF is not stored in the outbox: the row carries ids in `payload`, and the builder registered
with notifications.attachments (from ForumsConfig.ready) renders it at send time. forums imports
notifications, never the reverse."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from notifications.attachments import Attachment
from notifications.models import Channel, Message, Purpose
from notifications.rendering import opt_out_url, render_for
from notifications.services import messages_retry_failed
from notifications.tokens import recipient_hash

from . import selectors
from .models import ForumSummary
from .partner_delivery import (
    PartnerDocument,
    document_deliver,
    document_release,
    document_require_latest,
)
from .partners import partner_link_url
from .summary import summary_pdf_render, summary_view

WARNING_NO_RECOMMENDATIONS = "no_recommendations"
WARNING_NO_ATTENDANCE = "no_attendance"


def summary_warnings(summary: ForumSummary) -> dict[str, str]:
    """What the organizer must acknowledge before sending: a summary with nothing adopted or no
    attendance counted is most often a forum closed too early or door scans not yet synced."""
    warnings = {}
    if not summary.data.get("recommendations"):
        warnings[WARNING_NO_RECOMMENDATIONS] = _("This summary contains no adopted recommendation.")
    if not (summary.data.get("figures") or {}).get("total"):
        warnings[WARNING_NO_ATTENDANCE] = _(
            "This summary counts 0 attendances: were the door scans synchronised?"
        )
    return warnings


def summary_release(
    *, summary_id: int, previewed_sha256: str, acknowledged=(), user=None
) -> ForumSummary:
    """The organizer's confirmation after the preview: the version becomes visible to partners
    and is e-mailed to them once the release is committed. Refused when the version is not the
    one previewed, a newer one exists, or a warning was not acknowledged. Releasing again only
    re-runs the delivery, which sends nothing twice."""
    acknowledged = set(acknowledged)

    def all_warnings_acknowledged(summary: ForumSummary) -> None:
        missing = {
            code: [message]
            for code, message in summary_warnings(summary).items()
            if code not in acknowledged
        }
        if missing:
            raise ApplicationError(
                _("Tick each warning to confirm that this summary should go as it is."),
                code="summary_warnings_not_acknowledged",
                field_errors=missing,
            )

    return document_release(
        SUMMARY,
        document_id=summary_id,
        previewed_sha256=previewed_sha256,
        user=user,
        check=all_warnings_acknowledged,
        audit_detail=lambda summary: {
            "number": summary.number,
            "acknowledged": sorted(acknowledged),
        },
    )


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


def summary_email(summary: ForumSummary, contact) -> tuple[str, str, str]:
    """(language, subject, body) of the e-mail this contact gets: the sending and the preview."""
    language = contact.preferred_language
    subject, body = render_for(
        purpose=Purpose.FORUM_SUMMARY,
        channel=Channel.EMAIL,
        language=language,
        context=_context(summary, contact, language),
        organization_id=summary.event.organizer_id,
    )
    return language, subject, body


def summary_deliver(*, summary_id: int) -> list[int]:
    """One e-mail per recipient contact of a released summary version, in the outbox."""
    return document_deliver(SUMMARY, document_id=summary_id)


def summary_delivery_retry(*, summary: ForumSummary) -> int:
    """Organizer action: the failed e-mails of this version go out again; sent ones do not."""
    document_require_latest(SUMMARY, summary)
    failed = selectors.summary_messages(summary=summary).filter(status=Message.Status.FAILED)
    return messages_retry_failed(
        event=summary.event, message_ids=list(failed.values_list("pk", flat=True))
    )


def summary_pdf_attachment(
    summary: ForumSummary, *, language: str, organization_id: int | None
) -> Attachment:
    """The personalised PDF as a partner gets it attached: the sending and the preview."""
    pdf = summary_pdf_render(summary.data, language=language, organization_id=organization_id)
    filename = f"forum-{summary.event_id}-summary-v{summary.number}-{language}.pdf"
    return Attachment(filename=filename, content=pdf, mimetype="application/pdf")


def summary_attachments(message: Message) -> list[Attachment]:
    """The personalised PDF of an outbox row, rebuilt from the ids it carries."""
    payload = message.payload or {}
    summary = ForumSummary.objects.get(pk=payload["summary"])
    return [
        summary_pdf_attachment(
            summary, language=message.language, organization_id=payload.get("organization")
        )
    ]


SUMMARY = PartnerDocument(
    name="summary",
    model=ForumSummary,
    purpose=Purpose.FORUM_SUMMARY,
    key_prefix="s",
    superseded_message=gettext_lazy(
        "A newer version of this summary exists; only the latest one is delivered."
    ),
    deliver_task="forums.tasks.forum_summary_deliver_task",
    latest=lambda summary: selectors.summary_latest(event=summary.event),
    recipients=lambda summary: selectors.summary_recipient_contacts(event=summary.event),
    email=summary_email,
    payload=lambda summary, contact: {
        "summary": summary.pk,
        "organization": contact.organization_id,
        "contact": contact.pk,
    },
)
