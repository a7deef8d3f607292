"""The outbox: putting rows in, claiming due rows for a worker, sending one row, and the staff
actions (send now, retry failed). The guarantees live here:

- a row is claimed with a token and a lease, either by SELECT … FOR UPDATE SKIP LOCKED
  (PostgreSQL) or by a conditional UPDATE that only one caller can win (SQLite);
- a worker that dies leaves its rows in `sending`; once the lease is over they are claimable again
  under a new token, and a stale task still carrying the old token does nothing;
- a row recorded as `sent` is never claimed again."""

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection as get_email_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.logging import scrub
from notifications import sms
from notifications.models import Channel, Message, Purpose
from notifications.rendering import build_email
from notifications.signals import message_undeliverable
from notifications.sms import SmsMessage, SmsResult
from notifications.tokens import recipient_hash

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return settings.NOTIFICATIONS_SEND_LEASE_SECONDS


def retry_delay(attempts: int) -> int:
    """Exponential backoff after the n-th failed attempt: base, 2·base, 4·base …, capped at 1 h."""
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600)


def message_schedule(
    *,
    idempotency_key: str,
    channel: str,
    recipient: str,
    language: str,
    purpose: str,
    subject: str,
    body: str,
    scheduled_at,
    **links,
) -> tuple[Message, bool]:
    """The row for this key, created if new. The unique key makes a second call a no-op, even
    from two processes at once."""
    defaults = {
        "channel": channel,
        "recipient": recipient,
        "recipient_hash": recipient_hash(channel, recipient),
        "language": language,
        "purpose": purpose,
        "subject": subject,
        "body": body,
        "scheduled_at": scheduled_at,
        **links,
    }
    return Message.objects.get_or_create(idempotency_key=idempotency_key, defaults=defaults)


def _due_filter(now) -> Q:
    return Q(status=Message.Status.SCHEDULED, scheduled_at__lte=now) | Q(
        status=Message.Status.SENDING, leased_until__lt=now
    )


def messages_claim_due(*, limit: int = 100, ids=None, now=None) -> list[tuple[int, str]]:
    """Claim up to `limit` due rows for this caller: (id, claim token) pairs no one else holds."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claim = {
        "status": Message.Status.SENDING,
        "claim_token": token,
        "leased_until": now + datetime.timedelta(seconds=lease_seconds()),
    }
    due = Message.objects.filter(_due_filter(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    due = due.order_by("scheduled_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            picked = list(
                due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit]
            )
            Message.objects.filter(pk__in=picked).update(**claim)
    else:
        # SQLite has no row locks: each row is taken by an UPDATE whose WHERE repeats the due
        # condition, so of two racing callers exactly one sees rowcount 1.
        candidates = list(due.values_list("pk", flat=True)[:limit])
        picked = [pk for pk in candidates if _claim_one(pk, now, claim)]
    return [(pk, token) for pk in picked]


def _claim_one(pk: int, now, claim: dict) -> bool:
    return Message.objects.filter(_due_filter(now), pk=pk).update(**claim) == 1


def messages_dispatch(*, ids=None, limit: int | None = None, now=None) -> int:
    """Claim due rows (all of them, batch by batch, or only `ids`) and queue one send task each."""
    from notifications.tasks import message_send_task

    batch = limit or settings.NOTIFICATIONS_DISPATCH_BATCH
    total = 0
    while True:
        claims = messages_claim_due(limit=batch, ids=ids, now=now)
        for message_id, token in claims:
            transaction.on_commit(
                lambda message_id=message_id, token=token: message_send_task.delay(
                    message_id, token
                )
            )
        total += len(claims)
        if ids is not None or len(claims) < batch:
            return total


@dataclass
class SendOutcome:
    status: str  # sent, failed, retry, cancelled, skipped
    retry_in: int | None = None


def message_send(*, message_id: int, claim_token: str) -> SendOutcome:
    from notifications.services.opt_out import is_suppressed

    now = timezone.now()
    held = Message.objects.filter(
        pk=message_id, status=Message.Status.SENDING, claim_token=claim_token
    ).update(
        attempts=F("attempts") + 1, leased_until=now + datetime.timedelta(seconds=lease_seconds())
    )
    if not held:
        # Already sent, cancelled, or re-claimed by someone else after our lease ran out.
        return SendOutcome("skipped")
    message = Message.objects.select_related("ticket__event", "ticket__attendee").get(pk=message_id)
    # The confirmation of an opt-out is the one message that goes to a suppressed recipient.
    if message.purpose != Purpose.OPT_OUT_ACK and is_suppressed(
        channel=message.channel, hashed_recipient=message.recipient_hash
    ):
        _finish(message, status=Message.Status.CANCELLED, last_error="recipient opted out")
        return SendOutcome("cancelled")
    try:
        result = _deliver(message)
    except Exception as exc:  # noqa: BLE001 - one bad row must not stop the worker; retried, then failed
        logger.exception("message %s: unexpected error while sending", message.pk)
        result = SmsResult(SmsResult.RETRY, error=f"{type(exc).__name__}: {exc}"[:300])
    if result.status == SmsResult.SENT:
        Message.objects.filter(pk=message.pk).exclude(status=Message.Status.SENT).update(
            status=Message.Status.SENT,
            sent_at=timezone.now(),
            provider_id=result.provider_id[:200],
            last_error="",
            claim_token="",
            leased_until=None,
        )
        logger.info("message %s sent (%s, %s)", message.pk, message.channel, message.purpose)
        return SendOutcome("sent")
    if result.status == SmsResult.RETRY and message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delay = retry_delay(message.attempts)
        # Hold the lease over the backoff so that the dispatcher leaves the retry to the task;
        # if the task is lost, the row becomes claimable when the lease ends.
        Message.objects.filter(pk=message.pk, claim_token=claim_token).update(
            last_error=scrub(result.error)[:500],
            leased_until=timezone.now() + datetime.timedelta(seconds=delay + lease_seconds()),
        )
        logger.warning("message %s: transient failure, retry in %ss", message.pk, delay)
        return SendOutcome("retry", retry_in=delay)
    error = (
        result.error
        if result.status == SmsResult.FAILED
        else f"gave up after {message.attempts} attempts: {result.error}"
    )
    _finish(message, status=Message.Status.FAILED, last_error=error)
    logger.warning("message %s failed", message.pk)
    if result.status == SmsResult.FAILED:
        # The provider refused it for good (unknown number, template not approved …): the
        # person's next channel may still reach them.
        message_undeliverable.send(sender=Message, message=message, reason=scrub(error)[:300])
    return SendOutcome("failed")


def _finish(message: Message, *, status: str, last_error: str) -> None:
    # Organizers see the reasons: provider texts may quote the number or address, so mask them.
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=status, last_error=scrub(last_error)[:500], claim_token="", leased_until=None
    )


def _deliver(message: Message) -> SmsResult:
    if message.channel == Channel.WHATSAPP:
        from notifications.services.channels import whatsapp_deliver

        return whatsapp_deliver(message)
    if message.channel == Channel.SMS:
        outgoing = SmsMessage(
            to=message.recipient,
            body=message.body,
            sender=settings.SMS_SENDER_ID,
            idempotency_key=message.idempotency_key,
        )
        return sms.get_connection().send_messages([outgoing])[0]
    email = build_email(message)
    email.connection = get_email_connection()
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused:
        return SmsResult(SmsResult.FAILED, error="recipient refused by the mail server")
    except smtplib.SMTPResponseException as exc:
        outcome = SmsResult.FAILED if 500 <= exc.smtp_code < 600 else SmsResult.RETRY
        return SmsResult(outcome, error=f"SMTP {exc.smtp_code}")
    except (smtplib.SMTPException, OSError) as exc:
        return SmsResult(SmsResult.RETRY, error=f"{type(exc).__name__}: {exc}"[:300])
    return SmsResult(SmsResult.SENT, provider_id=email.extra_headers["Message-ID"])


def messages_send_now(*, event, message_ids) -> int:
    """Staff action: bring the chosen scheduled rows of this event forward to now and dispatch
    them. Always a chosen list, never "everything pending": a reminder goes early only when
    someone picked it. Two callers with the same ids send each row once (the claim decides)."""
    rows = Message.objects.filter(
        event=event, status=Message.Status.SCHEDULED, pk__in=list(message_ids)
    )
    ids = list(rows.values_list("pk", flat=True))
    rows.update(scheduled_at=timezone.now())
    return messages_dispatch(ids=ids)


def messages_retry_failed(*, event, message_ids=None) -> int:
    """Staff action: failed rows of this event go back to the queue with fresh attempts."""
    from notifications.services.opt_out import suppressed_hashes

    rows = Message.objects.filter(event=event, status=Message.Status.FAILED)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    failed = list(rows.values_list("pk", "channel", "recipient_hash"))
    # The opt-out list once per channel for the whole batch, not once per message.
    suppressed = {channel: suppressed_hashes(channel) for channel in {row[1] for row in failed}}
    ids = [pk for pk, channel, hashed in failed if hashed not in suppressed[channel]]
    Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(
        status=Message.Status.SCHEDULED, attempts=0, scheduled_at=timezone.now()
    )
    return messages_dispatch(ids=ids)


def messages_forget_registration(*, registration_id: int) -> int:
    """For the personal-data purge: cancel what is still waiting and blank the address and text of
    every message of this registration. Counts by status and channel stay for the figures."""
    rows = Message.objects.filter(registration_id=registration_id)
    rows.filter(status=Message.Status.SCHEDULED).update(
        status=Message.Status.CANCELLED, last_error="personal data purged"
    )
    return rows.exclude(status=Message.Status.SENDING).update(
        recipient="", subject="", body="", provider_id="", payload={}
    )
