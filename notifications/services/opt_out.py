"""Opting out: a suppression (hash of the phone or e-mail) stops every future message on that
channel and cancels the ones waiting."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.phones import phone_to_e164
from notifications.models import Channel, Message, Suppression
from notifications.tokens import recipient_hash

# What people actually reply, in the three languages and without accents.
STOP_WORDS = {
    "stop",
    "arret",
    "arrêt",
    "arreter",
    "arrêter",
    "stopp",
    "unsubscribe",
    "توقف",
    "ايقاف",
    "إيقاف",
    "قف",
}


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


def is_stop_request(text: str) -> bool:
    words = (text or "").strip().lower().split()
    return bool(words) and words[0].strip(".!") in STOP_WORDS


def sms_inbound_handle(*, sender: str, text: str) -> bool:
    """A reply to one of our SMS. Returns True when it was a STOP and the number is now suppressed."""
    from django.core.exceptions import ValidationError

    try:
        phone = phone_to_e164(sender)
    except ValidationError as exc:
        raise ApplicationError(_("Unknown sender number."), code="invalid_sender") from exc
    if not phone:
        raise ApplicationError(_("Unknown sender number."), code="invalid_sender")
    if not is_stop_request(text):
        return False
    suppression_add(
        channel=Channel.SMS,
        hashed_recipient=recipient_hash(Channel.SMS, phone),
        source=Suppression.Source.SMS_STOP,
    )
    return True
