"""Counts agree with their nouns in every language, Arabic's six plural forms included: the
messages that show a count go through ngettext (Python, templates, PDFs, the scanner's
JavaScript), and the catalogs give each form its own words."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from core.plurals import counted_label
from forums.summary import participation_facts

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (0, 1, 2, 3, 11, 100)
# What Arabic says for 0, 1, 2, 3, 11 and 100 tickets: the number with the singular, "one
# ticket", the dual, the number with the plural (3 to 10), the accusative singular (11 to 99),
# the number with the singular again.
ARABIC_TICKETS = ("0 تذكرة", "تذكرة واحدة", "تذكرتان", "3 تذاكر", "11 تذكرةً", "100 تذكرة")


def _pack_info():
    return counted_label(
        lambda n: ngettext(
            "Ticket list for offline use: %(count)s ticket.",
            "Ticket list for offline use: %(count)s tickets.",
            n,
        )
    )


def _as_the_scanner_shows(label: dict, count: int) -> str:
    """scanner.js's counted(): the form of the count, the last two digits from 200 on."""
    index = label["index"]
    form = index[count] if count < len(index) else index[100 + count % 100]
    return label["forms"][form].replace("%(count)s", str(count))


def test_the_scanner_s_ticket_list_count_takes_each_arabic_form():
    with translation.override("ar"):
        label = _pack_info()
    shown = [_as_the_scanner_shows(label, count) for count in COUNTS]
    for text, expected in zip(shown, ARABIC_TICKETS, strict=True):
        assert expected in text, shown
    assert "3 تذكرة" not in shown[3]


def test_the_scanner_s_group_size_takes_each_arabic_form():
    with translation.override("ar"):
        label = counted_label(
            lambda n: ngettext("group of %(count)s person", "group of %(count)s people", n)
        )
    shown = [_as_the_scanner_shows(label, count) for count in (2, 3, 11, 100)]
    assert shown == [
        "مجموعة من شخصين",
        "مجموعة من 3 أشخاص",
        "مجموعة من 11 شخصًا",
        "مجموعة من 100 شخص",
    ]


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_scanner_s_table_gives_gettext_s_form_for_any_count(language):
    with translation.override(language):
        label = _pack_info()
        for count in (*range(0, 400), 1000, 1001, 1002, 1003, 1011, 12345):
            expected = ngettext(
                "Ticket list for offline use: %(count)s ticket.",
                "Ticket list for offline use: %(count)s tickets.",
                count,
            ) % {"count": count}
            assert _as_the_scanner_shows(label, count) == expected


def test_the_registration_page_s_ticket_count_takes_each_arabic_form():
    with translation.override("ar"):
        shown = [
            ngettext("%(counter)s ticket", "%(counter)s tickets", n) % {"counter": n}
            for n in COUNTS
        ]
    assert shown[:4] == ["0 تذكرة", "تذكرة واحدة", "تذكرتان", "3 تذاكر"], shown
    assert shown[4].startswith("11 تذكرة") and shown[5] == "100 تذكرة", shown


def test_forum_summary_counts_take_each_arabic_form():
    with translation.override("ar"):
        facts = [participation_facts(total=n, recommendations=n, endorsements=n) for n in COUNTS]
        hidden = participation_facts(total="x", recommendations=3, endorsements=0)
    recommendations = [fact[1]["text"] for fact in facts]
    assert recommendations == [
        "0 توصية معتمدة",
        "توصية معتمدة واحدة",
        "توصيتان معتمدتان",
        "3 توصيات معتمدة",
        "11 توصيةً معتمدة",
        "100 توصية معتمدة",
    ]
    assert [fact[0]["text"] for fact in facts][3] == "3 مرات حضور"
    # Under a figure of the page: the noun alone, agreeing with the figure.
    assert [fact[2]["noun"] for fact in facts][2:5] == [
        "تأييدان من المشاركين",
        "تأييدات من المشاركين",
        "تأييدًا من المشاركين",
    ]
    assert hidden[0]["text"] == "مرات الحضور: x"


@pytest.mark.parametrize(
    ("singular", "plural", "few", "many"),
    [
        ("%(count)s pupil counted.", "%(count)s pupils counted.", "تلاميذ", "تلميذًا"),
        ("%(count)s event published.", "%(count)s events published.", "فعاليات", "فعاليةً"),
        (
            "%(count)d message queued for sending.",
            "%(count)d messages queued for sending.",
            "رسائل",
            "رسالةً",
        ),
    ],
)
def test_counted_messages_of_the_door_the_admin_and_the_outbox_agree_in_arabic(
    singular, plural, few, many
):
    with translation.override("ar"):
        assert few in ngettext(singular, plural, 3) % {"count": 3}
        assert many in ngettext(singular, plural, 11) % {"count": 11}
        assert "3" not in ngettext(singular, plural, 2) % {"count": 2}


def _plural_entries(path: Path):
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "msgid_plural" not in block or block.lstrip().startswith("#~"):
            continue
        text = "\n".join(line for line in block.splitlines() if not line.startswith("#"))

        def joined(value: str) -> str:
            return "".join(re.findall(r'"(.*)"', value))

        singular = joined(re.search(r'^msgid ((?:".*"\n?)+)', text + "\n", re.M).group(1))
        plural = joined(re.search(r'^msgid_plural ((?:".*"\n?)+)', text + "\n", re.M).group(1))
        forms = {
            int(index): joined(value)
            for index, value in re.findall(r'^msgstr\[(\d)\] ((?:".*"\n?)+)', text + "\n", re.M)
        }
        yield singular, plural, forms


@pytest.mark.parametrize(
    "path", sorted(ROOT.glob("*/locale/ar/LC_MESSAGES/django.po")), ids=lambda p: p.parts[-5]
)
def test_arabic_plural_entries_say_three_differently_from_a_hundred(path):
    """A noun counted in English changes in Arabic between 3 (plural) and 100 (singular): six
    copies of one form is how "3 تذكرة" got printed. A sentence that names no number ("write
    down these codes") rightly says 3 and 100 alike."""
    for singular, plural, forms in _plural_entries(path):
        assert len(forms) == 6, singular
        if singular != plural and "%(" in plural:
            assert forms[3] != forms[5], singular


# {{ count }} followed by a word or a translated noun, outside {% blocktranslate count %}.
COUNT_THEN_NOUN = re.compile(
    r"\{\{\s*[\w.]*(count|total|number|size|left|places|seats|minutes|days)\w*\s*(\|[^}]*)?\}\}"
    r"\s*(</\w+>)?\s*(\{%\s*translate|[^\W\d_]{3,})"
)
COUNTED_BLOCK = re.compile(r"\{%\s*blocktranslate\s+count.*?\{%\s*endblocktranslate\s*%\}", re.S)


def test_no_template_puts_a_count_before_a_noun_without_plural_forms():
    offenders = []
    for template in ROOT.glob("*/templates/**/*.html"):
        text = COUNTED_BLOCK.sub("", template.read_text(encoding="utf-8"))
        offenders += [
            f"{template.relative_to(ROOT)}: {m.group(0)}" for m in COUNT_THEN_NOUN.finditer(text)
        ]
    assert offenders == []
