"""Sending claimed rows, a batch at a time. What holds the exactly-once guarantee, and what a
batch saves:

- the batch is held in two statements (attempts counted and lease renewed for the rows this claim
  token still holds, then the rows read with their ticket), and the opt-out list is read once;
- each row is recorded `sent` by its own UPDATE right after the provider accepted it, so a worker
  killed mid-batch sends again at most the one row whose send was in flight (the provider gets
  the same idempotency key, the mail server the same Message-ID);
- while the batch runs, a heartbeat thread renews the lease of the rows still held, so the lease
  can be short (a dead worker's rows come back quickly) without a slow batch losing its rows to
  the dispatcher;
- each channel's provider rate limit is shared by every worker (notifications/throttling.py);
  when a provider says "too many requests" (429, with its Retry-After) or fails transiently, the
  batch's remaining rows of that channel wait with it, and only rows actually tried count an
  attempt;
- a row to retry keeps its lease over the backoff: the task asks to be run again then, and if
  that task is lost the row is claimable again when the lease ends. Nothing is dropped."""

import contextlib
import datetime
import logging
import os
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection as get_email_connection
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone

from core.logging import scrub
from notifications import sms, throttling
from notifications.models import Message, Purpose, Suppression
from notifications.signals import message_undeliverable
from notifications.sms import SmsResult

from .outbox import SendOutcome, _deliver, _finish, lease_seconds, messages_claim_due, retry_delay

logger = logging.getLogger(__name__)


@dataclass
class BatchResult:
    claim_token: str
    outcomes: dict[int, SendOutcome] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes.values() if outcome.status == status)

    @property
    def held_back(self) -> bool:
        """A provider failed, throttled, or the rate limit ran out: the next batch would too."""
        return any(outcome.retry_in is not None for outcome in self.outcomes.values())

    def retries(self) -> dict[int, list[int]]:
        """Rows to send again, by how many seconds to wait first."""
        waiting: dict[int, list[int]] = {}
        for pk, outcome in self.outcomes.items():
            if outcome.retry_in is not None:
                waiting.setdefault(outcome.retry_in, []).append(pk)
        return waiting


@dataclass
class DrainResult:
    batches: list[BatchResult]
    more: bool  # stopped on its time budget with rows still due

    @property
    def sent(self) -> int:
        return sum(batch.count("sent") for batch in self.batches)


class DeliveryConnections:
    """One backend per channel for the whole batch: the SMTP session is opened once, not once per
    e-mail. Closed when the batch ends."""

    def __init__(self):
        self._sms = None
        self._email = None

    @property
    def sms(self):
        if self._sms is None:
            self._sms = sms.get_connection()
        return self._sms

    @property
    def email(self):
        if self._email is None:
            self._email = get_email_connection()
        return self._email

    def close(self) -> None:
        if self._email is not None:
            try:
                self._email.close()
            except Exception:  # noqa: BLE001 - the batch is recorded; a close error changes nothing
                logger.debug("closing the e-mail connection failed", exc_info=True)


class LeaseHeartbeat:
    """Renews the leases of every batch this process is sending, a third of a lease after their
    last renewal, from one thread per process (its own database connection, closed after each
    round) so that a long send does not delay it and a batch costs no thread start. Dies with the
    process: that is the point."""

    def __init__(self):
        self._pid = None
        self._lock = threading.Lock()
        self._held: dict[int, list] = {}  # handle -> [message ids, claim token, last renewal]
        self._handles = 0

    @contextlib.contextmanager
    def holding(self, *, message_ids: list[int], claim_token: str):
        with self._lock:
            if self._pid != os.getpid():  # first use in this process (or in a forked child)
                self._pid, self._held = os.getpid(), {}
                threading.Thread(target=self._run, name="outbox-heartbeat", daemon=True).start()
            self._handles += 1
            handle = self._handles
            self._held[handle] = [message_ids, claim_token, time.monotonic()]
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(handle, None)

    def _run(self) -> None:
        while True:
            every = lease_seconds() / 3
            time.sleep(min(0.5, every / 2))
            now = time.monotonic()
            with self._lock:
                due = [entry for entry in self._held.values() if now - entry[2] >= every]
            for entry in due:
                try:
                    lease_renew(message_ids=entry[0], claim_token=entry[1])
                    entry[2] = now
                except Exception:  # noqa: BLE001 - a missed beat is only a shorter lease
                    logger.warning("outbox heartbeat: lease renewal failed", exc_info=True)
            if due:
                db_connection.close()


heartbeat = LeaseHeartbeat()


def lease_renew(*, message_ids: list[int], claim_token: str) -> int:
    """Push the lease of the rows this token still holds to a full lease from now; a row waiting
    out a longer backoff keeps its longer lease."""
    until = timezone.now() + datetime.timedelta(seconds=lease_seconds())
    return Message.objects.filter(
        pk__in=message_ids,
        status=Message.Status.SENDING,
        claim_token=claim_token,
        leased_until__lt=until,
    ).update(leased_until=until)


def messages_send_batch(*, message_ids: list[int], claim_token: str) -> BatchResult:
    """Send the rows of `message_ids` this claim token holds; rows it no longer holds (sent,
    cancelled, re-claimed after the lease ran out) are skipped."""
    result = BatchResult(claim_token=claim_token)
    result.outcomes = {pk: SendOutcome("skipped") for pk in message_ids}
    held = Message.objects.filter(
        pk__in=message_ids, status=Message.Status.SENDING, claim_token=claim_token
    )
    lease_until = timezone.now() + datetime.timedelta(seconds=lease_seconds())
    if not held.update(attempts=F("attempts") + 1, leased_until=lease_until):
        return result
    messages = list(
        held.select_related("ticket__event", "ticket__attendee").order_by("scheduled_at", "id")
    )
    suppressed = _suppressed(messages)
    waits: dict[str, int] = {}  # channel -> seconds the rest of the batch waits on that channel
    connections = DeliveryConnections()
    try:
        with heartbeat.holding(message_ids=[m.pk for m in messages], claim_token=claim_token):
            for message in messages:
                # The confirmation of an opt-out is the one message that goes to a suppressed
                # recipient.
                if (
                    message.purpose != Purpose.OPT_OUT_ACK
                    and (message.channel, message.recipient_hash) in suppressed
                ):
                    _finish(
                        message, status=Message.Status.CANCELLED, last_error="recipient opted out"
                    )
                    outcome = SendOutcome("cancelled")
                else:
                    outcome = _send_held(message, claim_token, connections, waits)
                result.outcomes[message.pk] = outcome
    finally:
        connections.close()
    return result


def messages_send_due(*, batch: int | None = None, budget_seconds: float | None = None):
    """Claim due rows and send them, batch after batch, until none is due, a batch was held back
    (provider failing or rate limit reached), or the time budget is spent (then `more` says to
    queue another drain, so other tasks get a turn on the worker)."""
    batch = batch or settings.NOTIFICATIONS_SEND_BATCH
    budget = settings.NOTIFICATIONS_DRAIN_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    batches = []
    while True:
        claims = messages_claim_due(limit=batch)
        if not claims:
            return DrainResult(batches, more=False)
        batches.append(
            messages_send_batch(message_ids=[pk for pk, _ in claims], claim_token=claims[0][1])
        )
        if len(claims) < batch or batches[-1].held_back:
            # Rows still due wait for the next tick rather than be claimed only to wait.
            return DrainResult(batches, more=False)
        if time.monotonic() - started > budget:
            return DrainResult(batches, more=True)


def _suppressed(messages: list[Message]) -> set[tuple[str, str]]:
    if not messages:
        return set()
    wanted = Q()
    for channel in {m.channel for m in messages}:
        hashes = {m.recipient_hash for m in messages if m.channel == channel}
        wanted |= Q(channel=channel, recipient_hash__in=hashes)
    return set(Suppression.objects.filter(wanted).values_list("channel", "recipient_hash"))


def _send_held(message: Message, claim_token: str, connections, waits: dict) -> SendOutcome:
    if message.channel in waits:
        return _wait(message, claim_token, waits[message.channel], error="")
    wait = throttling.send_slot_reserve(message.channel)
    if wait is None:
        waits[message.channel] = throttling.wait_estimate(message.channel)
        return _wait(message, claim_token, waits[message.channel], error="")
    if wait:
        time.sleep(wait)
    try:
        result = _deliver(message, connections)
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
    retry_after = result.extra.get("retry_after")
    if result.status == SmsResult.RETRY and result.extra.get("throttled"):
        # The provider's flow control, not a failure: every worker pauses this channel, and the
        # row waits without spending an attempt.
        pause = retry_after or throttling.wait_estimate(message.channel) or 1
        throttling.send_pause(message.channel, pause)
        waits[message.channel] = pause
        return _wait(message, claim_token, pause, error=result.error)
    if result.status == SmsResult.RETRY and message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delay = (
            max(1, min(int(retry_after), 3600)) if retry_after else retry_delay(message.attempts)
        )
        # The provider is likely to refuse the rest of the batch too: they wait as long, untried.
        waits[message.channel] = delay
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


def _wait(message: Message, claim_token: str, seconds: int, *, error: str) -> SendOutcome:
    """Keep the row (and its lease over the wait) without counting this attempt: it was not
    tried, or the provider only asked to slow down."""
    seconds = max(1, int(seconds))
    fields = {
        "attempts": F("attempts") - 1,
        "leased_until": timezone.now() + datetime.timedelta(seconds=seconds + lease_seconds()),
    }
    if error:
        fields["last_error"] = scrub(error)[:500]
    Message.objects.filter(pk=message.pk, claim_token=claim_token).update(**fields)
    return SendOutcome("retry", retry_in=seconds)
