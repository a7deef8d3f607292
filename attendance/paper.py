"""The printable check-in list: the door's fallback when phones or the network fail."""

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from events.codes import format_short_code

# Names come in many scripts; DejaVu (Debian's default font) covers far more than Helvetica.
UNICODE_FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _names_font() -> str:
    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans"
    if UNICODE_FONT_PATH.is_file():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(UNICODE_FONT_PATH)))
        return "DejaVuSans"
    return "Helvetica"


def _tick_box() -> Table:
    box = Table([[""]], colWidths=[6 * mm], rowHeights=[6 * mm])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black)]))
    return box


def paper_list_pdf(*, session, tickets) -> bytes:
    """Short code, first name, group size and a box to tick. Nothing else: no phone, no e-mail."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Check-in list"),
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(_("Check-in list"), styles["Title"]),
        Paragraph(f"{session.event.title} — {session}", styles["Normal"]),
        Paragraph(
            _("Printed on %(date)s") % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
            styles["Normal"],
        ),
    ]
    rows = [[_("Code"), _("First name"), _("Group"), _("Present")]]
    for ticket in tickets:
        rows.append(
            [
                format_short_code(ticket.short_code),
                ticket.attendee.first_name or "—",
                str(ticket.group_size),
                _tick_box(),
            ]
        )
    table = Table(rows, colWidths=[35 * mm, 85 * mm, 20 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("FONTNAME", (0, 1), (0, -1), "Courier-Bold"),
                ("FONTNAME", (1, 1), (1, -1), _names_font()),
                ("ALIGN", (2, 0), (3, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
