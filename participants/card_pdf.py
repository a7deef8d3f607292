"""Printable participant cards: one A6 card, or an A4 sheet of four to cut. The QR holds the card's
secret alone; the short code is printed under it for typing. The title is in French, Arabic and
English (Arabic shaped by core/pdf_fonts.py, as on badges), and no name is printed: a lost card
tells a finder nothing about its holder."""

import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.qr import BADGE_BOX_SIZE, qr_png_bytes
from events.badges import Lettering
from events.codes import format_short_code

from .models import ParticipantCard

# Not translated: the card speaks all three languages at once, whoever prints it.
TITLES = ("Carte de participant·e", "بطاقة المشارك(ة)", "Participant card")
HINT = "Montrez cette carte à l'entrée · أظهر(ي) هذه البطاقة عند المدخل · Show at the entrance"
QR_SIDE = 60 * mm
A4_COLUMNS = A4_ROWS = 2


def _draw_card(pdf, lettering, card: ParticipantCard, x, y, width, height, organisation: str):
    pdf.setDash(2, 3)
    pdf.setStrokeGray(0.6)
    pdf.rect(x, y, width, height)
    pdf.setDash()
    padding = 6 * mm
    box = {"x": x + padding, "width": width - 2 * padding}
    top = y + height - padding - 12
    pdf.setFillGray(0)
    for index, title in enumerate(TITLES):
        lettering.draw(pdf, title, font=lettering.bold, size=12, y=top - index * 15, **box)
    lettering.draw(pdf, organisation, font=lettering.regular, size=9, y=top - 50, **box)
    qr = ImageReader(io.BytesIO(qr_png_bytes(card.secret, box_size=BADGE_BOX_SIZE)))
    pdf.drawImage(qr, x + (width - QR_SIDE) / 2, y + 24 * mm, QR_SIDE, QR_SIDE)
    pdf.setFont("Courier-Bold", 18)
    pdf.drawCentredString(x + width / 2, y + 15 * mm, format_short_code(card.short_code))
    lettering.draw(pdf, HINT, font=lettering.regular, size=6, y=y + 8 * mm, **box)


def cards_pdf(cards: Iterable[ParticipantCard], *, layout: str = "a6") -> bytes:
    """The cards as a PDF: one per A6 page, or four per A4 page (`layout` "a4")."""
    buffer = io.BytesIO()
    pagesize = A4 if layout == "a4" else A6
    pdf = canvas.Canvas(buffer, pagesize=pagesize, pageCompression=1)
    pdf.setTitle(TITLES[2])
    lettering = Lettering.best()
    page_width, page_height = pagesize
    per_page = A4_COLUMNS * A4_ROWS if layout == "a4" else 1
    cell_width, cell_height = A6 if layout == "a4" else pagesize
    for index, card in enumerate(cards):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        x = (slot % A4_COLUMNS) * cell_width if layout == "a4" else 0
        y = page_height - (slot // A4_COLUMNS + 1) * cell_height
        organisation = card.participant.organization.name
        _draw_card(pdf, lettering, card, x, y, cell_width, cell_height, organisation)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
