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
  number of replays.
- an id no message carries is reported as `unknown` and changes nothing: providers retry
  for days, so refusing it would only bring it back.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction

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


def message_receipt_apply(*, receipt: Receipt) -> str:
    """Apply one receipt to the message(s) carrying its provider id; returns an Outcome."""
    with transaction.atomic():
        # Ordered by id so that two receipts locking the same rows cannot deadlock.
        rows = list(
            Message.objects.select_for_update()
            .filter(
                channel=receipt.channel,
                provider_id=receipt.provider_id,
                status__in=RECEIPT_STATUSES,
            )
            .order_by("pk")
        )
        if not rows:
            # The provider's id is an opaque reference, never the person's number.
            logger.info("%s receipt for an unknown message id ignored", receipt.channel)
            return Outcome.UNKNOWN
        outcome = Outcome.UNCHANGED
        for message in rows:
            changes = receipt_transition(message, receipt)
            if not changes:
                continue
            outcome = Outcome.UPDATED
            for name, value in changes.items():
                setattr(message, name, value)
            message.save(update_fields=[*changes, "updated_at"])
            if changes.get("status") == Status.FAILED:
                # Inside the transaction: the fallback the receivers queue and the failed state
                # are written together or not at all (and then the provider retries).
                message_undeliverable.send(
                    sender=Message, message=message, reason=message.last_error
                )
        return outcome
