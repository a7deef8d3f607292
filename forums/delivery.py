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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.services import audit_record
from notifications.attachments import Attachment
from notifications.models import Channel, Message, Purpose
from notifications.rendering import opt_out_url, render_for
from notifications.services import message_schedule, messages_dispatch, messages_retry_failed
from notifications.tokens import recipient_hash

from . import selectors
from .models import ForumSummary
from .partners import partner_link_url
from .summary import summary_pdf_render, summary_view


def delivery_key(*, summary_id: int, contact_id: int) -> str:
    return f"{Purpose.FORUM_SUMMARY}:s{summary_id}:c{contact_id}"


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
    from .tasks import forum_summary_deliver_task

    with transaction.atomic():
        summary = (
            ForumSummary.objects.select_for_update().select_related("event").get(pk=summary_id)
        )
        if summary.sha256 != previewed_sha256:
            raise ApplicationError(
                _("This is not the version you previewed. Preview it again before sending."),
                code="summary_not_previewed",
                status=409,
            )
        _require_latest(summary)
        missing = {
            code: [message]
            for code, message in summary_warnings(summary).items()
            if code not in set(acknowledged)
        }
        if missing:
            raise ApplicationError(
                _("Tick each warning to confirm that this summary should go as it is."),
                code="summary_warnings_not_acknowledged",
                field_errors=missing,
            )
        if summary.released_at is None:
            summary.released_at, summary.released_by = timezone.now(), user
            summary.save(update_fields=["released_at", "released_by"])
            audit_record(
                actor=user,
                action="forums.summary_released",
                target=summary,
                detail={"number": summary.number, "acknowledged": sorted(set(acknowledged))},
            )
        summary_id = summary.pk
        transaction.on_commit(lambda: forum_summary_deliver_task.delay(summary_id))
    return summary


def _require_latest(summary: ForumSummary) -> None:
    latest = selectors.summary_latest(event=summary.event)
    if latest is not None and latest.pk != summary.pk:
        raise ApplicationError(
            _("A newer version of this summary exists; only the latest one is delivered."),
            code="summary_superseded",
            status=409,
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
    """Put one e-mail per recipient contact in the outbox and dispatch the ones that are due.
    Returns the outbox row ids. A draft (not released) or a version that a newer one replaced is
    not delivered."""
    summary = ForumSummary.objects.select_related("event").get(pk=summary_id)
    latest = selectors.summary_latest(event=summary.event)
    if summary.released_at is None or (latest is not None and latest.pk != summary.pk):
        return []
    ids = []
    with transaction.atomic():
        for contact in selectors.summary_recipient_contacts(event=summary.event):
            language, subject, body = summary_email(summary, contact)
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
    _require_latest(summary)
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
