"""The texts every installation starts with (seeded by the notifications migration, editable in
the admin) and the fallback when a row is missing. Keys: (purpose, channel, language) ->
(subject, body); SMS have no subject.

The texts themselves are a table in default_templates.toml, one entry per purpose, channel and
language, where translators read them as they will be sent. SMS texts stay short: Arabic travels
as UCS-2 (67 characters per segment once split), so the Arabic SMS carry the short code rather
than the long ticket link where they can."""

import tomllib
from pathlib import Path

SMS, EMAIL = "sms", "email"


def _load(path: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    with path.open("rb") as table:
        purposes = tomllib.load(table)
    templates = {}
    for purpose, channels in purposes.items():
        for language, body in channels.get(SMS, {}).items():
            templates[(purpose, SMS, language)] = ("", body)
        for language, text in channels.get(EMAIL, {}).items():
            templates[(purpose, EMAIL, language)] = (text["subject"], text["body"])
    return templates


DEFAULT_TEMPLATES: dict[tuple[str, str, str], tuple[str, str]] = _load(
    Path(__file__).with_name("default_templates.toml")
)
