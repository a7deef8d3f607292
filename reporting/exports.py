"""Figures tables for donor reports (CSV, XLSX) and the organizers' attendance list.

The figures table is aggregate only: one row per event, then its sessions, then the programme
total; columns are measures × gender. The attendance list holds personal data and is exported
only through `attendance_list_export`, which records who took it."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.selectors import attendance_list_for_event
from core.demographics import Gender
from core.services import audit_record
from reporting.figures.breakdowns import DEMOGRAPHIC_MEASURES, measure_labels
from reporting.participation_export import participation_header, participation_table
from reporting.selectors import ProgrammeFigures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would run as a formula (a first name typed as '=HYPERLINK(...)' on the
    public form) is written as plain text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_row(row) -> list:
    return [safe_cell(value) for value in row]


# Column widths in characters: a wide enough column for a number, a long header wraps instead
# of widening its column past what a screen shows.
MIN_WIDTH, MAX_WIDTH = 8, 40
DATE_FORMAT = "yyyy-mm-dd"


def _tidy_sheet(sheet, *, header_rows: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    """What a spreadsheet reader expects: columns as wide as their content, headers wrapped and
    bold, a filter on the last header row over the whole table, dates stored as dates (ISO
    displayed, so that every locale reads them the same), the header kept in view."""
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        longest = max(
            (len(str(cell.value)) for cell in column if cell.value is not None), default=0
        )
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column[0].column)].width = width
        for cell in column:
            if cell.row <= header_rows:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    if sheet.max_row > header_rows:
        sheet.auto_filter.ref = (
            f"A{header_rows}:{get_column_letter(sheet.max_column)}{sheet.max_row}"
        )
    sheet.freeze_panes = f"D{header_rows + 1}"


def figures_table_header() -> list[str]:
    labels = measure_labels()
    header = [_("Level"), _("Event"), _("Session")]
    total = _("total")
    for measure in DEMOGRAPHIC_MEASURES:
        header.append(f"{labels[measure]} — {total}")
        header.extend(f"{labels[measure]} — {gender.label}" for gender in Gender)
    return header


def _measure_cells(figures) -> list[int]:
    cells = []
    for measure in DEMOGRAPHIC_MEASURES:
        breakdown = figures.breakdowns[measure]
        cells.append(breakdown.total)
        cells.extend(share.count for share in breakdown.by_dimension["gender"])
    return cells


def figures_table(report: ProgrammeFigures) -> list[list]:
    """Rows under `figures_table_header()`; needs the report's 'event' and 'session' groupings."""
    sessions_by_event: dict[str, list] = {}
    for session in report.groups["session"]:
        sessions_by_event.setdefault(session.parent_key, []).append(session)
    rows = []
    for event in report.groups["event"]:
        rows.append([_("Event"), event.label, ""] + _measure_cells(event.figures))
        for session in sessions_by_event.get(event.key, []):
            rows.append(
                [_("Session"), event.label, session.label] + _measure_cells(session.figures)
            )
    rows.append([_("Programme total"), "", ""] + _measure_cells(report.totals))
    return rows


def figures_csv(report: ProgrammeFigures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figures_table_header())
    writer.writerows(_safe_row(row) for row in figures_table(report))
    # A BOM so spreadsheet software reads Arabic titles as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def figures_xlsx(report: ProgrammeFigures, *, title: str) -> bytes:
    # openpyxl (5 MB of modules) loads with the first spreadsheet, not in every web and Celery
    # process that imports this module for its CSV functions (README, "Small server").
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    sheet.append(figures_table_header())
    for row in figures_table(report):
        sheet.append(_safe_row(row))
    _tidy_sheet(sheet, header_rows=1)
    notes = workbook.create_sheet(_("Notes")[:31])
    notes.append([safe_cell(title)])
    filters = report.filters
    notes.append([_("From"), filters["date_from"] or "—"])
    notes.append([_("To"), filters["date_to"] or "—"])
    notes.append([_("Event kind"), filters["kind"] or _("all")])
    notes.append([_("City"), safe_cell(filters["city"] or _("all"))])
    notes.append([_("School"), safe_cell(filters["school"] or _("all"))])
    notes.append([_("Partner organisation"), filters["organization"] or _("all")])
    for note in report.notes:
        notes.append([note])
    participation_sheet(workbook, report)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def participation_sheet(workbook, report, *, threshold: int | None = None) -> None:
    """The proposals sheet (see reporting/participation_export.py), when there is one."""
    rows = participation_table(report, threshold=threshold)
    if not rows:
        return
    sheet = workbook.create_sheet(_("Proposals")[:31])
    sheet.append(participation_header())
    for row in rows:
        sheet.append(_safe_row(row))


def donor_csv(columns, rows, *, hxl: bool) -> bytes:
    """The donor table as CSV; with `hxl` the hashtag row sits right under the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    if hxl:
        writer.writerow([column.tag for column in columns])
    writer.writerows(_safe_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def donor_xlsx(
    columns,
    rows,
    *,
    hxl: bool,
    title: str,
    filters: dict,
    notes: list[str],
    report: ProgrammeFigures | None = None,
    threshold: int | None = None,
) -> bytes:
    """`report` adds the proposals sheet, suppressed with `threshold` when it is set."""
    from openpyxl import Workbook  # loaded on first use, as in figures_xlsx

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Figures")[:31]
    sheet.append([column.header for column in columns])
    if hxl:
        sheet.append([column.tag for column in columns])
    header_rows = sheet.max_row
    for row in rows:
        sheet.append(_safe_row(row))
    _tidy_sheet(sheet, header_rows=header_rows)
    sheet_notes = workbook.create_sheet(_("Notes")[:31])
    sheet_notes.append([safe_cell(title)])
    labels = {
        "date_from": _("From"),
        "date_to": _("To"),
        "kind": _("Event kind"),
        "city": _("City"),
        "school": _("School"),
        "organization": _("Partner organisation"),
    }
    for name, value in filters.items():
        shown = value if value not in (None, "") else "—"
        sheet_notes.append([labels.get(name, name), safe_cell(shown)])
    for note in notes:
        sheet_notes.append([note])
    if report is not None:
        participation_sheet(workbook, report, threshold=threshold)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def attendance_list_export(*, event, actor) -> bytes:
    """The counted attendance rows of an event as CSV: the fewest fields an organizer needs to
    check a list (no phone, no e-mail). Every export is written to the audit trail."""
    rows = list(attendance_list_for_event(event=event))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Recorded at"),
            _("Session"),
            _("Source"),
            _("People"),
            _("Gender"),
            _("Age band"),
            _("Profile"),
            _("Ticket"),
            _("First name"),
        ]
    )
    for row in rows:
        attendee = row.ticket.attendee if row.ticket_id else None
        writer.writerow(
            _safe_row(
                [
                    timezone.localtime(row.recorded_at).strftime("%Y-%m-%d %H:%M"),
                    str(row.session),
                    row.get_source_display(),
                    row.headcount,
                    (attendee or row).get_gender_display(),
                    (attendee or row).get_age_band_display(),
                    (attendee or row).get_profile_display(),
                    str(row.ticket) if row.ticket_id else "",
                    attendee.first_name if attendee else "",
                ]
            )
        )
    audit_record(
        actor=actor,
        action="attendance_list_exported",
        target=event,
        detail={"rows": len(rows), "format": "csv"},
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
