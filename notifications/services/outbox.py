"""The outbox: putting rows in, claiming due rows for a worker, sending one row, and the staff
actions (send now, retry failed). The guarantees live here:

- a row is claimed with a token and a lease, either by SELECT … FOR UPDATE SKIP LOCKED
  (PostgreSQL) or by a conditional UPDATE that only one caller can win (SQLite);
- a worker that dies leaves its rows in `sending`; once the lease is over they are claimable again
  under a new token, and a stale task still carrying the old token does nothing;
- a row recorded as `sent` is never claimed again;
- the lease is short (NOTIFICATIONS_SEND_LEASE_SECONDS, 30 s) and renewed by a heartbeat while a
  batch is being sent (services/sending.py), so a dead worker's rows come back within a lease and
  a dispatch tick, while a live worker keeps its rows however long its batch takes.

Due rows are claimed by the worker that sends them, when it starts (messages_send_due), never
while its task waits in the broker's queue: a lease cannot run out before the work begins."""

import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection as get_email_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.logging import scrub
from notifications import sms
from notifications.models import Channel, Message
from notifications.rendering import build_email
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
    skip_locked = connection.features.has_select_for_update_skip_locked
    if skip_locked and connection.vendor == "postgresql":
        picked = _claim_postgresql(now=now, claim=claim, limit=limit, ids=ids)
        return [(pk, token) for pk in picked]
    due = Message.objects.filter(_due_filter(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    due = due.order_by("scheduled_at", "id")
    if skip_locked:
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


# One round trip instead of four (BEGIN, SELECT … FOR UPDATE, UPDATE, COMMIT): the rows are
# locked by the subquery (SKIP LOCKED: rivals take other rows) and re-checked by PostgreSQL
# against the due condition after the lock, so a row another caller just claimed is not taken.
_CLAIM_SQL = """
UPDATE {table} SET status = %s, claim_token = %s, leased_until = %s, updated_at = %s
WHERE id IN (
    SELECT id FROM {table}
    WHERE ((status = %s AND scheduled_at <= %s) OR (status = %s AND leased_until < %s)) {only}
    ORDER BY scheduled_at, id LIMIT %s FOR UPDATE SKIP LOCKED
)
RETURNING id, scheduled_at
"""


def _claim_postgresql(*, now, claim: dict, limit: int, ids) -> list[int]:
    only = "AND id = ANY(%s)" if ids is not None else ""
    params = [claim["status"], claim["claim_token"], claim["leased_until"], now]
    params += [Message.Status.SCHEDULED, now, Message.Status.SENDING, now]
    params += [[int(pk) for pk in ids]] if ids is not None else []
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL.format(table=Message._meta.db_table, only=only), [*params, limit])
        rows = cursor.fetchall()
    return [pk for pk, _scheduled in sorted(rows, key=lambda row: (row[1], row[0]))]


def _claim_one(pk: int, now, claim: dict) -> bool:
    return Message.objects.filter(_due_filter(now), pk=pk).update(**claim) == 1


def messages_dispatch(*, ids=None, limit: int | None = None, now=None) -> int:
    """Queue the sending of due rows; returns how many rows were claimed or found due.

    Chosen `ids` (send now, a confirmation, a retry) are claimed here and go out in batch tasks of
    NOTIFICATIONS_SEND_BATCH rows. Otherwise (the beat's tick) the due rows are only counted, and
    up to NOTIFICATIONS_SEND_PARALLEL drain tasks are queued: each claims its own batches when it
    runs, so a lease never starts while a task is still waiting in the broker's queue."""
    from notifications.tasks import messages_send_batch_task, messages_send_due_task

    batch = limit or settings.NOTIFICATIONS_SEND_BATCH
    if ids is not None:
        ids = list(ids)
        claims = messages_claim_due(limit=max(len(ids), 1), ids=ids, now=now)
        for start in range(0, len(claims), batch):
            chunk = [pk for pk, _token in claims[start : start + batch]]
            token = claims[start][1]
            transaction.on_commit(
                lambda token=token, chunk=chunk: messages_send_batch_task.delay(token, chunk)
            )
        return len(claims)
    parallel = settings.NOTIFICATIONS_SEND_PARALLEL
    due = Message.objects.filter(_due_filter(now or timezone.now()))[: batch * parallel].count()
    for _drain in range(min(parallel, -(-due // batch))):
        transaction.on_commit(messages_send_due_task.delay)
    return due


@dataclass
class SendOutcome:
    status: str  # sent, failed, retry, cancelled, skipped
    retry_in: int | None = None


def message_send(*, message_id: int, claim_token: str) -> SendOutcome:
    """Send one claimed row (a batch of one: see services/sending.py)."""
    from notifications.services.sending import messages_send_batch

    batch = messages_send_batch(message_ids=[message_id], claim_token=claim_token)
    return batch.outcomes[message_id]


def _finish(message: Message, *, status: str, last_error: str) -> None:
    # Organizers see the reasons: provider texts may quote the number or address, so mask them.
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=status, last_error=scrub(last_error)[:500], claim_token="", leased_until=None
    )


def _deliver(message: Message, connections=None) -> SmsResult:
    """The one place a row leaves through its channel. `connections` (a batch's
    DeliveryConnections) reuses one backend per channel across a batch; without it, each call
    opens its own."""
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
        backend = connections.sms if connections else sms.get_connection()
        return backend.send_messages([outgoing])[0]
    email = build_email(message)
    email.connection = connections.email if connections else get_email_connection()
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused:
        return SmsResult(SmsResult.FAILED, error="recipient refused by the mail server")
    except smtplib.SMTPResponseException as exc:
        _email_connection_reset(email.connection)
        outcome = SmsResult.FAILED if 500 <= exc.smtp_code < 600 else SmsResult.RETRY
        return SmsResult(outcome, error=f"SMTP {exc.smtp_code}")
    except (smtplib.SMTPException, OSError) as exc:
        _email_connection_reset(email.connection)
        return SmsResult(SmsResult.RETRY, error=f"{type(exc).__name__}: {exc}"[:300])
    return SmsResult(SmsResult.SENT, provider_id=email.extra_headers["Message-ID"])


def _email_connection_reset(backend) -> None:
    # A connection shared by a batch may be half-closed after an error: the next message of the
    # batch opens a fresh one.
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail in any way
        logger.debug("closing the e-mail connection failed", exc_info=True)


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
