"""The printable check-in list: the door's fallback when phones or the network fail."""

import io
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from core.pdf_fonts import best_fonts
from events.codes import format_short_code


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
    # Names come in many scripts: Unicode fonts, Arabic joined and right-to-left when installed.
    font, _bold, drawable = best_fonts()
    story = [
        Paragraph(_("Check-in list"), styles["Title"]),
        Paragraph(
            escape(drawable(f"{session.event.title} — {session}")),
            ParagraphStyle("heading", parent=styles["Normal"], fontName=font),
        ),
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
                drawable(ticket.attendee.first_name) or "—",
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
                ("FONTNAME", (1, 1), (1, -1), font),
                ("ALIGN", (2, 0), (3, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
