import logging

import pytest
from django.core.exceptions import ValidationError

from core.logging import ScrubPersonalDataFilter, scrub
from core.phones import phone_to_e164


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0612345678", "+212612345678"),
        ("06 12 34 56 78", "+212612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("00212712345678", "+212712345678"),
        ("", ""),
    ],
)
def test_phone_numbers_are_stored_in_e164(raw, expected):
    assert phone_to_e164(raw) == expected


@pytest.mark.parametrize("raw", ["12", "abc", "0612"])
def test_invalid_phone_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        phone_to_e164(raw)


def test_logs_never_carry_phone_numbers_or_emails():
    assert scrub("sent to +212612345678 and awa@example.org") == "sent to [phone] and [email]"
    assert scrub("on 2026-11-24 10:00 ticket 42") == "on 2026-11-24 10:00 ticket 42"


def test_the_filter_rewrites_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s", ("0612345678",), None)
    ScrubPersonalDataFilter().filter(record)
    assert record.getMessage() == "call [phone]"
