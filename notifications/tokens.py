"""Keyed hashes and signed tokens. Links in messages carry only signed ids or hashes, never a
phone number or an e-mail address, and suppressions store only the keyed hash of the recipient."""

import hashlib

from django.core import signing
from django.utils.crypto import salted_hmac

OPT_OUT_SALT = "notifications.opt_out"
FEEDBACK_SALT = "notifications.feedback"
# Feedback links stay valid for two months after they are made.
FEEDBACK_MAX_AGE = 60 * 60 * 24 * 60


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


def feedback_token(ticket_id: int) -> str:
    return signing.dumps(ticket_id, salt=FEEDBACK_SALT)


def read_feedback_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=FEEDBACK_SALT, max_age=FEEDBACK_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def short_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
