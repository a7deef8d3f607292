"""Every page a participant, volunteer or partner sees is in French and Arabic: each catalog has
every message translated, nothing left fuzzy (gettext ignores fuzzy entries, a fuzzy header
included, which would drop the six Arabic plural forms), and every catalog compiled."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))
TRANSLATED = [path for path in CATALOGS if path.parent.parent.name in ("fr", "ar")]


def entries(path: Path):
    """(flags, entry text, msgstr values) of every entry, obsolete ones left out."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        text = "\n".join(line for line in lines if not line.startswith("#"))
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text + "\n", re.M)
        yield flags, text, ["".join(re.findall(r'"(.*)"', value)) for value in strings]


def test_there_are_catalogs_for_every_app_in_three_languages():
    apps = {path.parents[3].name for path in CATALOGS}
    assert apps >= set(settings.PROJECT_APPS)
    for app in apps:
        languages = {path.parents[1].name for path in CATALOGS if path.parents[3].name == app}
        assert languages == {"fr", "ar", "en"}, app


@pytest.mark.parametrize("path", TRANSLATED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_nothing_is_fuzzy(path):
    untranslated, fuzzy = [], []
    for index, (flags, text, values) in enumerate(entries(path)):
        if "fuzzy" in flags:
            fuzzy.append(text[:80])
        if index == 0 and 'msgid ""' in text:
            continue  # the header
        if text.strip() and values and any(value == "" for value in values):
            untranslated.append(text[:80])
    assert fuzzy == []
    assert untranslated == []


@pytest.mark.parametrize("path", [p for p in CATALOGS if p.parent.parent.name == "ar"])
def test_arabic_plurals_have_six_forms(path):
    text = path.read_text(encoding="utf-8")
    assert "nplurals=6" in text
    for block in text.split("\n\n"):
        if "msgid_plural" in block and not block.lstrip().startswith("#~"):
            assert len(re.findall(r"^msgstr\[\d\]", block, re.M)) == 6, block[:120]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_is_compiled(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists()
