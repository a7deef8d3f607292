"""The printable check-in list: the door's fallback when phones or the network fail.

It is printed in the organizer's language: every string (title, headers, date, names) is drawn
with the Unicode fonts and, in Arabic, shaped and ordered right to left (core/pdf_fonts.py), and
the table reads from the right: code, first name, group, then the box to tick."""

import io
from html import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from core.pdf_fonts import a4_document, best_fonts
from events.codes import format_short_code
from events.models import Registration

COLUMN_WIDTHS = [35 * mm, 85 * mm, 20 * mm, 30 * mm]


def _tick_box() -> Table:
    box = Table([[""]], colWidths=[6 * mm], rowHeights=[6 * mm])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black)]))
    return box


def group_cell(ticket) -> str:
    """A household's size tells the door how many come together; a class member's would say 30
    for each pupil, so a class shows nothing there (its headcount is taken at the door)."""
    if ticket.attendee.registration.kind == Registration.Kind.GROUP:
        return ""
    return str(ticket.group_size)


def printed_on() -> str:
    """Today's date and time in the active language (Arabic month names on an Arabic list)."""
    now = timezone.localtime()
    return _("Printed on %(date)s") % {
        "date": f"{date_format(now, 'DATE_FORMAT')} {date_format(now, 'H:i')}"
    }


def paper_list_pdf(*, session, tickets) -> bytes:
    """Short code, first name, group size and a box to tick. Nothing else: no phone, no e-mail."""
    buffer = io.BytesIO()
    document = a4_document(buffer, side_mm=15, top_mm=15, title=_("Check-in list"))
    rtl = get_language_bidi()
    font, bold, drawable = best_fonts()
    styles = getSampleStyleSheet()
    align = TA_RIGHT if rtl else TA_LEFT
    title = ParagraphStyle("title", parent=styles["Title"], fontName=bold, alignment=align)
    normal = ParagraphStyle("normal", parent=styles["Normal"], fontName=font, alignment=align)

    def line(text: str, style) -> Paragraph:
        return Paragraph(escape(drawable(text)), style)

    story = [
        line(_("Check-in list"), title),
        line(f"{session.event.title} — {session}", normal),
        line(printed_on(), normal),
    ]
    rows = [[drawable(text) for text in (_("Code"), _("First name"), _("Group"), _("Present"))]]
    for ticket in tickets:
        rows.append(
            [
                format_short_code(ticket.short_code),
                drawable(ticket.attendee.first_name) or "—",
                group_cell(ticket),
                _tick_box(),
            ]
        )
    widths = COLUMN_WIDTHS
    code, name, group, present = 0, 1, 2, 3
    if rtl:
        # Read from the right: the code in the rightmost column, the box to tick on the left.
        rows = [list(reversed(row)) for row in rows]
        widths = list(reversed(widths))
        code, name, group, present = 3, 2, 1, 0
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("FONTNAME", (code, 1), (code, -1), "Courier-Bold"),
                ("FONTNAME", (name, 1), (name, -1), font),
                ("ALIGN", (name, 0), (name, -1), "RIGHT" if rtl else "LEFT"),
                ("ALIGN", (group, 0), (group, -1), "CENTER"),
                ("ALIGN", (present, 0), (present, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
