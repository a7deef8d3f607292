"""Ticket secrets and short codes. The QR code carries only the secret: 192 random bits, no
personal data. The short code is what a volunteer types when a screen is broken: 8 characters of
Crockford base32 (no I, L, O, U), shown as K7P2-9QXM."""

import secrets

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 8
# Letters people confuse with digits are read as the digit, as Crockford's spec says.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_ticket_secret() -> str:
    return secrets.token_urlsafe(24)


def new_short_code() -> str:
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def format_short_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == SHORT_CODE_LENGTH else code


def normalize_short_code(text: str) -> str | None:
    """The canonical short code in typed text ('k7p2 9qxm' -> 'K7P29QXM'), or None if it is not one."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_").translate(_CONFUSABLE)
    if len(cleaned) != SHORT_CODE_LENGTH or any(ch not in CROCKFORD_ALPHABET for ch in cleaned):
        return None
    return cleaned
