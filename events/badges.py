"""Printable A4 badges (2 × 4 per page), each with the QR code and the short code, for school
classes and people without a phone. Cut along the dotted lines. Names and titles in Arabic script
are drawn joined and right-to-left (core/pdf_fonts.py); a machine without those fonts prints the
Latin ones and leaves the others for handwriting."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf_fonts import ARABIC, best_fonts
from core.qr import BADGE_BOX_SIZE, qr_png_bytes
from events.codes import format_short_code
from events.models import Ticket

COLUMNS, ROWS = 2, 4
MARGIN = 10 * mm
QR_SIDE = 42 * mm


@dataclass(frozen=True)
class Lettering:
    """The fonts a PDF draws with and how to write text with them (shaped Arabic when the font
    can, cut to a width). Shared by the badges here and the participant cards."""

    regular: str
    bold: str
    drawable: Callable[[str], str]  # the text as it can be drawn with these fonts

    @classmethod
    def best(cls) -> "Lettering":
        return cls(*best_fonts())

    def fit(self, pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> str:
        """`text` shortened (in reading order, with an ellipsis) until it fits, ready to draw."""
        drawn = self.drawable(text)
        while text and pdf.stringWidth(drawn, font, size) > width:
            text = text[:-2] + "…" if len(text) > 2 else ""
            drawn = self.drawable(text)
        return drawn

    def draw(self, pdf, text: str, *, font: str, size: float, x: float, y: float, width: float):
        """Draw one line in the box from x to x + width: right-aligned when it is Arabic."""
        drawn = self.fit(pdf, text, font, size, width)
        pdf.setFont(font, size)
        if ARABIC.search(drawn):
            pdf.drawRightString(x + width, y, drawn)
        else:
            pdf.drawString(x, y, drawn)


def badges_pdf(tickets: Iterable[Ticket]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Badges"))
    lettering = Lettering.best()
    page_width, page_height = A4
    cell_width = (page_width - 2 * MARGIN) / COLUMNS
    cell_height = (page_height - 2 * MARGIN) / ROWS
    per_page = COLUMNS * ROWS
    index = -1
    for index, ticket in enumerate(tickets):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        x = MARGIN + (slot % COLUMNS) * cell_width
        y = page_height - MARGIN - (slot // COLUMNS + 1) * cell_height
        _draw_badge(pdf, lettering, ticket, x, y, cell_width, cell_height)
    if index < 0:
        lettering.draw(
            pdf,
            _("No valid ticket to print."),
            font=lettering.regular,
            size=12,
            x=MARGIN,
            y=page_height - MARGIN - 12,
            width=page_width - 2 * MARGIN,
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_badge(pdf, lettering: Lettering, ticket: Ticket, x, y, width, height) -> None:
    pdf.setDash(2, 3)
    pdf.setStrokeGray(0.6)
    pdf.rect(x, y, width, height)
    pdf.setDash()
    padding = 4 * mm
    qr = ImageReader(io.BytesIO(qr_png_bytes(ticket.secret, box_size=BADGE_BOX_SIZE)))
    pdf.drawImage(qr, x + padding, y + (height - QR_SIDE) / 2, QR_SIDE, QR_SIDE)
    box = {"x": x + padding * 2 + QR_SIDE, "width": width - QR_SIDE - padding * 3}
    top = y + height - padding - 10
    event = ticket.event
    pdf.setFillGray(0)
    lettering.draw(pdf, event.display_title, font=lettering.bold, size=10, y=top, **box)
    dates = f"{event.start_date:%d/%m/%Y}"
    if event.end_date != event.start_date:
        dates += f" – {event.end_date:%d/%m/%Y}"
    pdf.setFont(lettering.regular, 9)
    pdf.drawString(box["x"], top - 14, dates)
    name = ticket.attendee.first_name
    if name:
        lettering.draw(pdf, name, font=lettering.bold, size=13, y=top - 36, **box)
    pdf.setFont("Courier-Bold", 16)
    pdf.drawString(box["x"], y + padding + 8, format_short_code(ticket.short_code))
