"""Printable A4 badges (2 × 4 per page), each with the QR code and the short code, for school
classes and people without a phone. Cut along the dotted lines."""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from events.codes import format_short_code
from events.models import Ticket
from events.qr import BADGE_BOX_SIZE, qr_png_bytes

COLUMNS, ROWS = 2, 4
MARGIN = 10 * mm
QR_SIDE = 42 * mm


def _latin(text: str) -> str:
    # The built-in PDF fonts cannot draw Arabic script; such names are left for handwriting.
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return ""
    return text


def _fit(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> str:
    while text and pdf.stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def badges_pdf(tickets: Iterable[Ticket]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Badges"))
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
        _draw_badge(pdf, ticket, x, y, cell_width, cell_height)
    if index < 0:
        pdf.setFont("Helvetica", 12)
        pdf.drawString(MARGIN, page_height - MARGIN - 12, _latin(_("No valid ticket to print.")))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_badge(pdf, ticket: Ticket, x: float, y: float, width: float, height: float) -> None:
    pdf.setDash(2, 3)
    pdf.setStrokeGray(0.6)
    pdf.rect(x, y, width, height)
    pdf.setDash()
    padding = 4 * mm
    qr = ImageReader(io.BytesIO(qr_png_bytes(ticket.secret, box_size=BADGE_BOX_SIZE)))
    pdf.drawImage(qr, x + padding, y + (height - QR_SIDE) / 2, QR_SIDE, QR_SIDE)
    text_x = x + padding * 2 + QR_SIDE
    text_width = width - QR_SIDE - padding * 3
    top = y + height - padding - 10
    event = ticket.event
    pdf.setFillGray(0)
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(text_x, top, _fit(pdf, _latin(event.title), "Helvetica-Bold", 10, text_width))
    pdf.setFont("Helvetica", 9)
    dates = f"{event.start_date:%d/%m/%Y}"
    if event.end_date != event.start_date:
        dates += f" – {event.end_date:%d/%m/%Y}"
    pdf.drawString(text_x, top - 14, dates)
    name = _latin(ticket.attendee.first_name)
    if name:
        pdf.setFont("Helvetica-Bold", 13)
        pdf.drawString(text_x, top - 36, _fit(pdf, name, "Helvetica-Bold", 13, text_width))
    pdf.setFont("Courier-Bold", 16)
    pdf.drawString(text_x, y + padding + 8, format_short_code(ticket.short_code))
