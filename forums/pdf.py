"""The summary as a PDF, drawn with reportlab, in the partner's language; Arabic is shaped and
ordered for drawing as core/pdf_fonts.py explains."""

import datetime
import io
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from core.pdf_fonts import (
    ARABIC,
    FONT,
    FONT_BOLD,
    a4_document,
    register_unicode_fonts,
    visual_line,
)

ACCENT = colors.HexColor("#0f5c4d")


def _arabic_lines(text: str, style, width: float, rtl: bool) -> list[str]:
    """Arabic text broken into lines that fit `width`, each in visual order. Lines are split in
    logical order first: reordering a whole paragraph and then wrapping it would put its end on
    the first line. Widths are measured on the shaped text (joined letters are narrower)."""
    import arabic_reshaper

    lines = []
    for paragraph in text.split("\n"):
        shaped = arabic_reshaper.reshape(paragraph)
        for line in simpleSplit(shaped, style.fontName, style.fontSize, width) or [""]:
            lines.append(visual_line(line, rtl=rtl))
    return lines


class _Styles:
    def __init__(self, rtl: bool):
        align = TA_RIGHT if rtl else TA_LEFT
        base = {"fontName": FONT, "alignment": align, "leading": 14, "fontSize": 10}
        self.title = ParagraphStyle(
            "title",
            **{**base, "fontName": FONT_BOLD, "fontSize": 18, "leading": 22, "textColor": ACCENT},
        )
        self.h2 = ParagraphStyle(
            "h2",
            **{
                **base,
                "fontName": FONT_BOLD,
                "fontSize": 13,
                "leading": 17,
                "spaceBefore": 10,
                "spaceAfter": 4,
                "textColor": ACCENT,
            },
        )
        self.h3 = ParagraphStyle(
            "h3",
            **{**base, "fontName": FONT_BOLD, "fontSize": 11, "spaceBefore": 6, "spaceAfter": 2},
        )
        self.body = ParagraphStyle("body", **base)
        self.item = ParagraphStyle(
            "item",
            **{
                **base,
                "leftIndent": 0 if rtl else 8,
                "rightIndent": 8 if rtl else 0,
                "spaceAfter": 4,
            },
        )
        self.muted = ParagraphStyle("muted", **{**base, "fontSize": 8, "textColor": colors.grey})


CONTENT_WIDTH = A4[0] - 36 * mm
# Table cells: their width less reportlab's default 6pt padding on each side.
LABEL_WIDTH = 70 * mm - 12


def _p(text, style, width: float = CONTENT_WIDTH) -> Paragraph:
    text = str(text)
    if ARABIC.search(text):
        width -= style.leftIndent + style.rightIndent
        rtl = style.alignment == TA_RIGHT
        lines = _arabic_lines(text, style, width, rtl)
        return Paragraph("<br/>".join(escape(line) for line in lines), style)
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _date(iso: str) -> str:
    """A date of the summary (kept in ISO form) written in the language being drawn."""
    return date_format(datetime.date.fromisoformat(iso), "DATE_FORMAT")


def _recommendation(rec: dict, styles: _Styles) -> list:
    details = [
        _("Priority: %(p)s") % {"p": {1: _("high"), 2: _("medium"), 3: _("low")}[rec["priority"]]},
        _("Endorsements: %(n)s") % {"n": rec["endorsements"]},
    ]
    if rec["workshop"]:
        details.append(_("Proposed by the workshop: %(w)s") % {"w": rec["workshop"]})
    if rec["proposer_name"]:
        details.append(_("Proposed by: %(name)s") % {"name": rec["proposer_name"]})
    if rec["addressed_to"]:
        details.append(_("Addressed to: %(orgs)s") % {"orgs": ", ".join(rec["addressed_to"])})
    return [_p(rec["text"], styles.item), _p(" · ".join(details), styles.muted), Spacer(1, 3)]


def summary_pdf_build(summary: dict) -> bytes:
    """Draw the render-ready summary context (see summary.summary_view) into PDF bytes."""
    register_unicode_fonts()
    styles = _Styles(summary["rtl"])
    event = summary["event"]
    buffer = io.BytesIO()
    document = a4_document(
        buffer,
        side_mm=18,
        top_mm=16,
        title=summary["title"],
        author=event["organizer"],
        subject=_("Forum summary"),
    )
    story = [
        _p(_("Forum summary"), styles.muted),
        _p(summary["title"], styles.title),
        Spacer(1, 4),
        _p(
            _("%(start)s to %(end)s · %(venues)s")
            % {
                "start": _date(event["start_date"]),
                "end": _date(event["end_date"]),
                "venues": ", ".join(event["venues"]),
            },
            styles.body,
        ),
        _p(
            _("Organised by %(org)s")
            % {"org": ", ".join([event["organizer"], *event["co_organizers"]])},
            styles.body,
        ),
        _p(_("Programme: %(name)s") % {"name": event["programme"]}, styles.body),
        _p(_("Participation"), styles.h2),
        _p(" · ".join(fact["text"] for fact in summary["facts"]), styles.body),
    ]
    for row in summary["figures"]:
        if not row["values"]:
            continue
        story.append(_p(row["title"], styles.h3))
        cells = [
            [_p(item["label"], styles.body, LABEL_WIDTH), _p(item["count"], styles.body, 20 * mm)]
            for item in row["values"]
        ]
        if summary["rtl"]:
            cells = [list(reversed(line)) for line in cells]
        table = Table(
            cells, colWidths=[70 * mm, 30 * mm], hAlign="RIGHT" if summary["rtl"] else "LEFT"
        )
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
        story.append(table)
    story.append(_p(summary["suppression_note"], styles.muted))
    if summary["personalised"] and summary["own_recommendations"]:
        story.append(_p(_("Recommendations addressed to your institution"), styles.h2))
        for rec in summary["own_recommendations"]:
            story.extend(_recommendation(rec, styles))
    story.append(_p(_("Recommendations by theme"), styles.h2))
    if not summary["themes"]:
        story.append(_p(_("No recommendation was adopted."), styles.body))
    for theme in summary["themes"]:
        story.append(_p(theme["name"], styles.h3))
        for rec in theme["recommendations"]:
            story.extend(_recommendation(rec, styles))
    story.append(_p(_("Recommendations by addressed institution"), styles.h2))
    for institution in summary["institutions"]:
        story.append(_p(institution["name"], styles.h3))
        for rec in institution["recommendations"]:
            story.append(_p(f"#{rec['id']} {rec['text']}", styles.item))
    if summary["next_steps"]:
        story.append(_p(_("Next steps"), styles.h2))
        story.append(_p(summary["next_steps"], styles.body))
    document.build(story)
    return buffer.getvalue()


def _followup_addressees(addressees: list[dict], styles) -> list:
    """Each organisation's position and reasons, then its commitments."""
    story = []
    for item in addressees:
        line = f"{item['organization']}: {item['position']}"
        if item["reasons"]:
            line += f" — {item['reasons']}"
        story.append(_p(line, styles.item))
        for commitment in item["commitments"]:
            text = _("%(what)s · by %(date)s · %(state)s") % {
                "what": commitment["what"],
                "date": commitment["due_on"],
                "state": commitment["state"],
            }
            if commitment["overdue"]:
                text += " · " + _("overdue")
            story.append(_p(text, styles.muted))
    return story


def followup_pdf_build(report: dict) -> bytes:
    """Draw the render-ready follow-up report (see followup_report.followup_view)."""
    register_unicode_fonts()
    styles = _Styles(report["rtl"])
    buffer = io.BytesIO()
    document = a4_document(
        buffer,
        side_mm=18,
        top_mm=16,
        title=report["title"],
        author="Multaqa",
        subject=_("Follow-up of the recommendations"),
    )
    story = [
        _p(_("Follow-up of the recommendations"), styles.muted),
        _p(report["previous_title"], styles.title),
        _p(
            _(
                "Report opening the forum %(title)s, on the recommendations of the forum of %(date)s."
            )
            % {"title": report["title"], "date": _date(report["previous_start"])},
            styles.body,
        ),
    ]
    if report["rates"]:
        story.append(_p(_("Answers by type of organisation"), styles.h2))
        story.extend(_p(rate, styles.item) for rate in report["rates"])
    story.append(_p(_("Recommendations and answers"), styles.h2))
    if not report["recommendations"]:
        story.append(_p(_("No adopted recommendation yet."), styles.body))
    for rec in report["recommendations"]:
        story.append(_p(rec["text"], styles.h3))
        story.append(_p(rec["theme"], styles.muted))
        story.extend(_followup_addressees(rec["addressees"], styles))
        story.append(Spacer(1, 4))
    if report.get("proposals"):
        story.append(_p(_("Participants' proposals and answers"), styles.h2))
    for proposal in report.get("proposals", []):
        story.append(_p(proposal["title"], styles.h3))
        story.append(_p(proposal["text"], styles.body))
        story.append(_p(f"{proposal['event']} · {proposal['theme']}", styles.muted))
        story.extend(_followup_addressees(proposal["addressees"], styles))
        story.append(Spacer(1, 4))
    document.build(story)
    return buffer.getvalue()
