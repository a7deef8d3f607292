"""Phone numbers: parsed with Google's phonenumbers and stored in E.164. Moroccan local numbers
(06…, 07…, 05…) are accepted without the +212 prefix because that is how people write them."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "MA"


def phone_to_e164(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164, '' for an empty input; raise ValidationError if invalid."""
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
