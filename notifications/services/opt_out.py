"""Opting out: a suppression (hash of the phone or e-mail) stops every future message on that
channel and cancels the ones waiting."""

from django.db import transaction

from notifications.models import Message, Suppression


def is_suppressed(*, channel: str, hashed_recipient: str) -> bool:
    return Suppression.objects.filter(channel=channel, recipient_hash=hashed_recipient).exists()


def suppressed_hashes(channel: str) -> set[str]:
    return set(Suppression.objects.filter(channel=channel).values_list("recipient_hash", flat=True))


@transaction.atomic
def suppression_add(*, channel: str, hashed_recipient: str, source: str) -> Suppression:
    suppression, _created = Suppression.objects.get_or_create(
        channel=channel, recipient_hash=hashed_recipient, defaults={"source": source}
    )
    Message.objects.filter(
        channel=channel, recipient_hash=hashed_recipient, status=Message.Status.SCHEDULED
    ).update(status=Message.Status.CANCELLED, last_error="recipient opted out")
    return suppression
