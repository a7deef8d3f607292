"""What a generated PDF shows, read back with poppler's pdftotext (poppler-utils), for tests of
every PDF in every language.

`pdftotext -layout` keeps each printed line with its columns left to right, and gives right-to-
left runs back in reading order between bidi marks (which are dropped here). So a correctly
drawn Arabic string reads back as its shaped logical text, and the columns of a right-to-left
table read back right-most last. Text drawn with a font that lacks Arabic glyphs does not read
back at all."""

import io
import re
import subprocess

import arabic_reshaper

BIDI_MARKS = dict.fromkeys(range(0x202A, 0x202F))


def pdf_lines(pdf: bytes) -> list[str]:
    """The printed lines of every page, as laid out on paper (left to right)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return [line.translate(BIDI_MARKS) for line in done.stdout.decode("utf-8").splitlines()]


def as_printed(text: str) -> str:
    """`text` as it reads back when drawn right: Arabic joined (presentation forms)."""
    return arabic_reshaper.reshape(text)


def line_with(lines: list[str], text: str) -> str:
    found = [line for line in lines if as_printed(text) in line]
    assert found, f"{text!r} is not printed: {lines}"
    return found[0]


def left_to_right(line: str, *texts: str) -> bool:
    """Whether these texts sit in this order from left to right on the printed line."""
    positions = [line.index(as_printed(text)) for text in texts]
    return positions == sorted(positions)


def drawn_runs(pdf: bytes) -> list[str]:
    """The pieces of text as drawn, split where the direction changes: the left-to-right and
    neutral pieces (numbers, marks, quotation marks) keep the order they are drawn in, so a mark
    drawn mirrored shows here as it shows on paper."""
    from pypdf import PdfReader

    runs = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=lambda text, *_args: runs.append(text.strip()))
    return [run for run in runs if run]


def month_as_written(day) -> str:
    """The month's word in the active language's date format ("novembre", "نوفمبر", "Nov.")."""
    from django.utils.formats import date_format

    return re.findall(r"[^\W\d_]+", date_format(day, "DATE_FORMAT"))[0]


def words_printed(lines: list[str], text: str) -> None:
    """Every word of `text` is printed (for text mixing scripts and brackets, whose read-back
    order pdftotext does not restore)."""
    printed = "\n".join(lines)
    for word in re.findall(r"[^\W\d_]+", text):
        assert as_printed(word) in printed, f"{word!r} of {text!r} is not printed: {lines}"
