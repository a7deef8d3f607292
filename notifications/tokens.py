"""Keyed hashes and signed tokens. Links in messages carry only signed ids or hashes, never a
phone number or an e-mail address, and suppressions store only the keyed hash of the recipient."""

import hashlib
import hmac
import re

from django.core import signing
from django.utils.crypto import salted_hmac

OPT_OUT_SALT = "notifications.opt_out"
FEEDBACK_SALT = "notifications.feedback"


def normalize_recipient(channel: str, recipient: str) -> str:
    value = (recipient or "").strip()
    return value.lower() if channel == "email" else value.replace(" ", "")


def recipient_hash(channel: str, recipient: str) -> str:
    normalized = normalize_recipient(channel, recipient)
    return salted_hmac(
        "notifications.recipient", f"{channel}:{normalized}", algorithm="sha256"
    ).hexdigest()


def ticket_digest(ticket_id: int) -> str:
    return salted_hmac(
        "notifications.feedback_ticket", str(ticket_id), algorithm="sha256"
    ).hexdigest()


def opt_out_token(channel: str, hashed_recipient: str) -> str:
    return signing.dumps({"c": channel, "h": hashed_recipient}, salt=OPT_OUT_SALT, compress=True)


def read_opt_out_token(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") not in ("sms", "email") or not data.get("h"):
        return None
    return data["c"], str(data["h"])


_SHORT_OPT_OUT = re.compile(r"^(\d+)([se])-([0-9a-f]{12})$")


def _short_mac(payload: str) -> str:
    return salted_hmac(OPT_OUT_SALT, payload, algorithm="sha256").hexdigest()[:12]


def registration_opt_out_token(registration_id: int, channel: str) -> str:
    """A short token for links inside SMS, where every character costs: '123s-9f2c…' (48-bit MAC;
    forging one only lets someone unsubscribe a stranger, and it cannot be tried offline)."""
    payload = f"{registration_id}{channel[0]}"
    return f"{payload}-{_short_mac(payload)}"


def read_registration_opt_out_token(token: str) -> tuple[int, str] | None:
    match = _SHORT_OPT_OUT.match(token or "")
    if not match or not hmac.compare_digest(
        match.group(3), _short_mac(match.group(1) + match.group(2))
    ):
        return None
    return int(match.group(1)), "sms" if match.group(2) == "s" else "email"


def feedback_token(ticket_id: int) -> str:
    """Short, because it travels in an SMS: '<ticket id>-<64-bit MAC>'. No expiry is needed: the
    form only accepts tickets that attended, once each."""
    mac = salted_hmac(FEEDBACK_SALT, f"fb{ticket_id}", algorithm="sha256").hexdigest()[:16]
    return f"{ticket_id}-{mac}"


def read_feedback_token(token: str) -> int | None:
    ticket_id, _sep, mac = (token or "").partition("-")
    if not ticket_id.isdigit() or len(mac) != 16:
        return None
    return int(ticket_id) if hmac.compare_digest(token, feedback_token(int(ticket_id))) else None


def short_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SEND_SELECTION_SALT = "notifications.send_selection"
# A preview older than this is shown again rather than trusted: rows may have moved meanwhile.
SEND_SELECTION_MAX_AGE = 3600


def send_selection_token(event_id: int, message_ids: list[int]) -> str:
    """What the organizer saw on the confirmation page, signed: the confirm sends these rows and
    no others, whatever was scheduled in between."""
    return signing.dumps(
        {"e": event_id, "m": sorted(message_ids)}, salt=SEND_SELECTION_SALT, compress=True
    )


def read_send_selection_token(token: str, event_id: int) -> list[int] | None:
    try:
        data = signing.loads(token, salt=SEND_SELECTION_SALT, max_age=SEND_SELECTION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != event_id:
        return None
    ids = data.get("m")
    if not isinstance(ids, list) or not ids or not all(isinstance(pk, int) for pk in ids):
        return None
    return ids
