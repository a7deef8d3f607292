"""No French or English left in the Arabic catalogs: a Latin-only translation would put a French
label on an Arabic page or PDF. Acronyms and formats (PDF, HTML, QR) are the same in every
language."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|<[^>]+>|https?://\S+|\b[A-Z]{2,}\b")


def _translations(path: Path):
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        msgid = "".join(re.findall(r'"(.*)"', re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)[1]))
        for value in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n", re.M):
            yield msgid, "".join(re.findall(r'"(.*)"', value))


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("*/locale/ar/LC_MESSAGES/django.po")), ids=lambda p: p.parts[-5]
)
def test_every_arabic_translation_of_words_is_in_arabic(path):
    latin_only = [
        (msgid, text)
        for msgid, text in _translations(path)
        if re.search(r"[^\W\d_]{3,}", PLACEHOLDERS.sub("", text))
        and not re.search(r"[\u0600-\u06ff]", text)
    ]
    assert latin_only == []
