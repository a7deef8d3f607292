"""Fonts, and the A4 page, for the PDFs people read in Arabic as well as in French or English
(forum summaries, badges, paper lists). reportlab neither joins Arabic letters nor orders
right-to-left text, so Arabic runs are reshaped (arabic-reshaper) and put in visual order
(python-bidi) before drawing, with a TrueType font that has Arabic glyphs (DejaVu Sans by
default: FORUMS_PDF_FONT[_BOLD])."""

import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

FONT, FONT_BOLD = "MultaqaSans", "MultaqaSans-Bold"
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")


def unicode_fonts_available() -> bool:
    return all(
        Path(path).is_file() for path in (settings.FORUMS_PDF_FONT, settings.FORUMS_PDF_FONT_BOLD)
    )


def register_unicode_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    if not unicode_fonts_available():
        raise ImproperlyConfigured(
            f"PDFs need TrueType fonts with Arabic glyphs at {settings.FORUMS_PDF_FONT} and "
            f"{settings.FORUMS_PDF_FONT_BOLD} (Debian: apt-get install fonts-dejavu-core, or set "
            "FORUMS_PDF_FONT and FORUMS_PDF_FONT_BOLD)."
        )
    pdfmetrics.registerFont(TTFont(FONT, settings.FORUMS_PDF_FONT))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, settings.FORUMS_PDF_FONT_BOLD))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


# The suppression mark ("<5") reads left to right in every language: an Arabic sentence that
# quotes it must not turn it into "5>".
SMALL_MARK = re.compile(r"<\s?\d+")
LEFT_TO_RIGHT_EMBEDDING, POP_DIRECTIONAL_FORMATTING = "\u202a", "\u202c"


def visual_line(text: str, *, rtl: bool | None = None) -> str:
    """One line of text as it must be drawn: Arabic letters joined and right-to-left runs in
    visual order, with the mirrored glyph of brackets and guillemets inside them (« opens an
    Arabic quotation on the right). `rtl` forces the base direction (None: from the text).

    python-bidi's own `get_display` no longer mirrors; its reference implementation
    (`bidi.algorithm`) does, and our lines are short."""
    if not ARABIC.search(text):
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    marked = SMALL_MARK.sub(
        lambda mark: LEFT_TO_RIGHT_EMBEDDING + mark.group(0) + POP_DIRECTIONAL_FORMATTING, text
    )
    return get_display(arabic_reshaper.reshape(marked), base_dir="R" if rtl else None)


def latin1_only(text: str) -> str:
    # The built-in PDF fonts cannot draw Arabic script; such text is left blank (handwriting).
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return ""
    return text


def best_fonts() -> tuple[str, str, Callable[[str], str]]:
    """(regular, bold, drawable) for a PDF: the Unicode fonts with Arabic shaped when they are
    installed, else reportlab's built-in Helvetica and what it can draw."""
    if unicode_fonts_available():
        register_unicode_fonts()
        return FONT, FONT_BOLD, visual_line
    return "Helvetica", "Helvetica-Bold", latin1_only


def a4_document(buffer, *, side_mm: float, top_mm: float, **info) -> SimpleDocTemplate:
    """An A4 document drawn into `buffer`, with margins of `side_mm` left and right and `top_mm`
    top and bottom; `info` is the PDF's metadata (title, author, subject)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=side_mm * mm,
        rightMargin=side_mm * mm,
        topMargin=top_mm * mm,
        bottomMargin=top_mm * mm,
        **info,
    )
