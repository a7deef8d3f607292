"""Delivery receipts: what a provider reports about a message after accepting it. The guarantees:

- states only move forward: sent < delivered < read. A replayed receipt changes nothing; a `read`
  that arrives before its `delivered` sets both timestamps, and the late `delivered` then only
  fills nothing (its timestamp is kept if none was known).
- `failed` is terminal against `sent` only: a message already delivered or read stays so (the
  person got it; a later failure report is the provider contradicting itself). A `delivered` or
  `read` that arrives after `failed` proves the failure report wrong and moves the message on;
  the fallback already sent by then stays sent (the person may get the message twice, which is
  better than never).
- each row is updated under a row lock (SELECT … FOR UPDATE), so two webhooks for one message
  at the same moment cannot lose an update, and the move to `failed` (which sends
  `message_undeliverable`, inside the same transaction) happens once per message whatever the
  number of replays. A batch is applied in one transaction: all of it or none of it.
- an id no message carries is reported as `unknown` and changes nothing: providers retry
  for days, so refusing it would only bring it back.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.logging import scrub
from notifications.models import Message
from notifications.signals import message_undeliverable

logger = logging.getLogger(__name__)

Status = Message.Status

# Receipts only touch messages that reached the provider.
RECEIPT_STATUSES = (Status.SENT, Status.DELIVERED, Status.READ, Status.FAILED)
_RANK = {Status.SENT.value: 1, Status.DELIVERED.value: 2, Status.READ.value: 3}


class Outcome:
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Receipt:
    """One provider report, already parsed: `status` is one of sent, delivered, read, failed."""

    channel: str
    provider_id: str
    status: str
    at: datetime.datetime
    reason: str = ""


def receipt_transition(message: Message, receipt: Receipt) -> dict:
    """The fields to change on `message` for `receipt` ({} when nothing changes). Pure."""
    changes: dict = {}
    current = message.status
    if receipt.status == Status.FAILED:
        if current == Status.SENT:
            changes["status"] = Status.FAILED
            changes["last_error"] = scrub(receipt.reason or "failed")[:500]
        return changes
    if receipt.status in (Status.DELIVERED, Status.READ) and message.delivered_at is None:
        changes["delivered_at"] = receipt.at
    if receipt.status == Status.READ and message.read_at is None:
        changes["read_at"] = receipt.at
    # A failed message compares as sent: a delivered or read report proves the failure wrong.
    known = _RANK[Status.SENT] if current == Status.FAILED else _RANK.get(current)
    if known is not None and _RANK[receipt.status] > known:
        changes["status"] = receipt.status
    return changes


def messages_receipts_apply(*, receipts: list[Receipt]) -> dict[str, int]:
    """Apply a provider's batch of receipts, in their order, in one transaction: the messages
    they name are read and locked once (in id order, so that two batches cannot deadlock) and
    written back in one UPDATE, so a batch of a thousand costs the same few queries as one.
    Returns how many receipts had each Outcome.

    A receiver of `message_undeliverable` that fails rolls the whole batch back and the error
    propagates: the provider is answered an error and retries, which replays harmlessly."""
    counts = {Outcome.UPDATED: 0, Outcome.UNCHANGED: 0, Outcome.UNKNOWN: 0}
    if not receipts:
        return counts
    wanted = Q()
    for channel in {receipt.channel for receipt in receipts}:
        ids = {receipt.provider_id for receipt in receipts if receipt.channel == channel}
        wanted |= Q(channel=channel, provider_id__in=sorted(ids))
    with transaction.atomic():
        rows = (
            Message.objects.select_for_update()
            .filter(wanted, status__in=RECEIPT_STATUSES)
            .order_by("pk")
        )
        by_key: dict[tuple[str, str], list[Message]] = defaultdict(list)
        for message in rows:
            by_key[message.channel, message.provider_id].append(message)
        changed: dict[int, Message] = {}
        fields: set[str] = set()
        for receipt in receipts:
            messages = by_key.get((receipt.channel, receipt.provider_id), [])
            outcome = Outcome.UNCHANGED if messages else Outcome.UNKNOWN
            for message in messages:
                changes = receipt_transition(message, receipt)
                if changes:
                    outcome = Outcome.UPDATED
                    for name, value in changes.items():
                        setattr(message, name, value)
                    changed[message.pk] = message
                    fields.update(changes)
            counts[outcome] += 1
        if changed:
            now = timezone.now()
            for message in changed.values():
                message.updated_at = now
            # One INSERT … ON CONFLICT (id) DO UPDATE of the changed fields: every row exists
            # (locked above), so nothing is inserted. bulk_update's CASE per row and field cost
            # about 4 ms of Python per message, 4 s for one of Meta's full batches
            # (bench/RESULTS.md, "Delivery receipts").
            Message.objects.bulk_create(
                list(changed.values()),
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=[*sorted(fields), "updated_at"],
            )
        for message in changed.values():
            # Failed by this batch (a row that had failed before cannot be changed to failed
            # again), and not proved delivered by a later receipt of the same batch.
            if message.status == Status.FAILED:
                message_undeliverable.send(
                    sender=Message, message=message, reason=message.last_error
                )
    if counts[Outcome.UNKNOWN]:
        # Counted, not listed: nothing of the provider's ids is needed in the logs.
        logger.info(
            "%s receipt(s) for an unknown message id ignored (%s)",
            counts[Outcome.UNKNOWN],
            receipts[0].channel,
        )
    return counts
