"""The forum summary PDF in French, Arabic and English, read back as printed: its headings,
dates and notes in the reader's language, Arabic joined, the quotation marks and the `<5` mark
the right way round."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forums.summary import summary_data_build, summary_pdf_render
from tests.pdf_text import drawn_runs, line_with, month_as_written, pdf_lines

pytestmark = pytest.mark.django_db


def _printed(forum, language):
    data = summary_data_build(forum.event)
    lines = pdf_lines(summary_pdf_render(data, language=language))
    with translation.override(language):
        start = datetime.date.fromisoformat(data["event"]["start_date"])
        strings = {
            "heading": _("Forum summary"),
            "sections": [_("Participation"), _("Recommendations by theme")],
            "month": month_as_written(start),
        }
    return lines, strings


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_summary_pdf_prints_its_headings_and_dates_in_the_reader_s_language(forum, language):
    lines, strings = _printed(forum, language)
    line_with(lines, strings["heading"])
    for section in strings["sections"]:
        line_with(lines, section)
    line_with(lines, strings["month"])
    text = "\n".join(lines)
    assert forum.event.start_date.isoformat() not in text


def test_arabic_summary_has_no_french_date_or_label(forum):
    lines, _strings = _printed(forum, "ar")
    with translation.override("fr"):
        french = [_("Forum summary"), _("Participation"), date_format(forum.event.start_date, "F")]
    assert not any(text in line for text in french for line in lines), lines


def test_arabic_summary_keeps_guillemets_and_the_small_mark_the_right_way_round(forum):
    pdf = summary_pdf_render(summary_data_build(forum.event), language="ar")
    runs = drawn_runs(pdf)
    # The note quotes the marks: «<5» and «x», the guillemets pointing outwards as in any
    # Arabic text, and <5 as the tables print it (not »5<« nor «5>»).
    assert "«<5»" in runs and "«x»" in runs, runs
    assert not any("5<" in run or "5>" in run or "»x«" in run for run in runs), runs
