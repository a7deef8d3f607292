"""A logging filter that masks phone numbers and e-mail addresses in every log record, so that a
careless log line cannot leak the contact details of the people we serve."""

import logging
import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# International or Moroccan-looking phone numbers: 9+ digits, optional +, spaces, dots, dashes.
PHONE_RE = re.compile(r"(?<![\w])\+?\d[\d .-]{7,}\d(?![\w])")


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _mask_phone(match: re.Match) -> str:
    candidate = match.group(0)
    digits = sum(ch.isdigit() for ch in candidate)
    if DATE_RE.match(candidate) or not 9 <= digits <= 15:
        return candidate
    return "[phone]"


def scrub(text: str) -> str:
    return PHONE_RE.sub(_mask_phone, EMAIL_RE.sub("[email]", text))


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not kill logging
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
