"""CSV and XLSX figures exports hold the API's numbers; the attendance list is protected and
audited."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEntry
from reporting.figures.breakdowns import DEMOGRAPHIC_MEASURES
from tests.factories import MembershipFactory


@pytest.fixture
def staff_client(client, ground_truth):
    client.force_login(ground_truth.organizer)
    return client


def _api(staff_client, gt):
    url = f"/api/v1/programmes/{gt.programme.pk}/figures?by=event&by=session"
    return staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()


def _expected_rows(api):
    """The export rows the API's numbers imply: (level, event, session) -> measure cells."""

    def cells(figures):
        out = []
        for measure in DEMOGRAPHIC_MEASURES:
            breakdown = figures["breakdowns"][measure]
            out.append(breakdown["total"])
            out.extend(share["count"] for share in breakdown["by_dimension"]["gender"])
        return out

    rows = []
    sessions = api["groups"]["session"]
    for event in api["groups"]["event"]:
        rows.append(["Event", event["label"], ""] + cells(event["figures"]))
        for session in (s for s in sessions if s["parent_key"] == event["key"]):
            rows.append(["Session", event["label"], session["label"]] + cells(session["figures"]))
    rows.append(["Programme total", "", ""] + cells(api["totals"]))
    return rows


def test_csv_export_holds_the_api_numbers(staff_client, ground_truth):
    response = staff_client.get(
        reverse("reporting:programme_figures_csv", args=[ground_truth.programme.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Level", "Event", "Session", "Attendances — total"]
    assert "People reached — Prefer not to say" in header
    api = _api(staff_client, ground_truth)
    expected = [[str(cell) for cell in row] for row in _expected_rows(api)]
    assert body == expected
    assert body[-1][:4] == ["Programme total", "", "", "30"]


def test_xlsx_export_holds_the_api_numbers(staff_client, ground_truth):
    response = staff_client.get(
        reverse("reporting:programme_figures_xlsx", args=[ground_truth.programme.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Level"
    assert rows[1:] == _expected_rows(_api(staff_client, ground_truth))
    notes = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert any("once in each session" in (note or "") for note in notes)


def test_exports_follow_the_period_filter(staff_client, ground_truth):
    response = staff_client.get(
        reverse("reporting:programme_figures_csv", args=[ground_truth.programme.pk]),
        {"date_from": "2026-11-01"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][3] == "26"


def test_figures_export_is_scoped(client, ground_truth):
    url = reverse("reporting:programme_figures_csv", args=[ground_truth.programme.pk])
    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404


def test_attendance_list_export_is_audited_and_minimal(staff_client, ground_truth):
    url = reverse("reporting:event_attendance_list_export", args=[ground_truth.meeting.pk])
    response = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Recorded at",
        "Session",
        "Source",
        "People",
        "Gender",
        "Age band",
        "Profile",
        "Ticket",
        "First name",
    ]
    assert len(rows) == 1 + 7  # voided admission left out
    content = response.content.decode("utf-8-sig")
    for ticket in ground_truth.tickets:
        assert ticket.attendee.registration.phone not in content
    entry = AuditEntry.objects.get(action="attendance_list_exported")
    assert entry.actor == ground_truth.organizer
    assert (entry.target_id, entry.detail) == (
        str(ground_truth.meeting.pk),
        {"rows": 7, "format": "csv"},
    )


def test_attendance_list_export_refuses_other_organisations(client, ground_truth):
    url = reverse("reporting:event_attendance_list_export", args=[ground_truth.meeting.pk])
    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="attendance_list_exported").exists()


def test_arabic_exports_keep_the_numbers_and_an_ascii_file_name(staff_client, ground_truth):
    url = reverse("reporting:programme_figures_xlsx", args=[ground_truth.programme.pk])
    response = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.isascii() and disposition.endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "مرات الحضور — المجموع"
    assert rows[-1][3:5] == (30, 15)


def test_exports_never_write_formulas(staff_client, ground_truth):
    ground_truth.meeting.title = '=HYPERLINK("http://evil.example")'
    ground_truth.meeting.save()
    attendee = ground_truth.tickets[0].attendee
    attendee.first_name = "+cmd"
    attendee.save()
    xlsx = staff_client.get(
        reverse("reporting:programme_figures_xlsx", args=[ground_truth.programme.pk])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["B2"].data_type == "s"
    listing = staff_client.get(
        reverse("reporting:event_attendance_list_export", args=[ground_truth.meeting.pk])
    ).content.decode("utf-8-sig")
    assert "'+cmd" in listing and ",+cmd" not in listing
