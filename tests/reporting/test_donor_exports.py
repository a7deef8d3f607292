"""The donor exports: HXL-tagged figures read by libhxl hold the figures selectors' numbers, the
UNHCR roll-up adds up, and the period, site and partner filters narrow the figures."""

import csv
import io

import hxl
import openpyxl
import pytest
from django.urls import reverse

from reporting.selectors import FigureFilters, figures_for_programme

SIX = ("0-4", "5-11", "12-17", "18-24", "25-59", "60+")
AGE_ATTRIBUTE = {
    "0-4": "age0_4",
    "5-11": "age5_11",
    "12-17": "age12_17",
    "18-24": "age18_24",
    "25-59": "age25_59",
    "60+": "age60plus",
}


@pytest.fixture
def staff_client(client, ground_truth):
    client.force_login(ground_truth.organizer)
    return client


def _csv_url(gt, **query):
    url = reverse("reporting:programme_figures_csv", args=[gt.programme.pk])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _hxl_dataset(content: bytes):
    return hxl.data(hxl.input.make_input(io.BytesIO(content)))


def _rows_by_kind(dataset):
    rows = {"event": {}, "total": None}
    for row in dataset:
        if row.get("#meta+row") == "total":
            rows["total"] = row
        else:
            rows["event"][row.get("#activity+name")] = row
    return rows


def _number(row, tag):
    """The value of the one column this tag pattern names: the only column it matches, or the
    one with exactly these attributes (libhxl's get() takes the first match, and '#targeted+f'
    also matches '#targeted+children+f')."""
    wanted = hxl.TagPattern.parse(tag)
    matches = [
        (column, value)
        for column, value in zip(row.columns, row.values, strict=False)
        if wanted.match(column)
    ]
    if len(matches) > 1:
        wanted_attributes = set(wanted.include_attributes)
        matches = [(c, v) for c, v in matches if set(c.attributes) == wanted_attributes]
    assert len(matches) == 1, f"{tag} names {len(matches)} columns"
    return int(matches[0][1])


def test_hxl_csv_carries_the_hashtag_row_and_the_selectors_numbers(staff_client, ground_truth):
    response = staff_client.get(_csv_url(ground_truth, hxl=1), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    dataset = _hxl_dataset(response.content)
    tags = [column.display_tag for column in dataset.columns]
    for tag in (
        "#activity+type",
        "#activity+name",
        "#adm1+name",
        "#adm2+name",
        "#date+start",
        "#reached",
        "#reached+f",
        "#reached+m",
        "#reached+i",
        "#reached+adolescents+age12_17",
        "#reached+children+age0_4",
        "#reached+elderly+age60plus",
        "#targeted+f",
    ):
        assert tag in tags, tag

    report = figures_for_programme(programme=ground_truth.programme, levels=("event",))
    rows = _rows_by_kind(dataset)
    for group in report.groups["event"]:
        row = rows["event"][group.label]
        people = group.figures.breakdowns["people_reached"]
        assert _number(row, "#reached") == people.total
        assert _number(row, "#reached+f") == people.share("gender", "female").count
        assert _number(row, "#reached+m") == people.share("gender", "male").count
        assert _number(row, "#reached+i") == people.share("gender", "other").count
        for band in SIX:
            assert _number(row, f"#reached+{AGE_ATTRIBUTE[band]}") == (
                people.share("age_band", band).count
            )
        assert row.get("#adm1+name") == "Oriental"
        assert row.get("#adm2+name") == "Oujda-Angad"
    total = rows["total"]
    people = report.totals.breakdowns["people_reached"]
    assert _number(total, "#reached") == people.total
    assert _number(total, "#reached+f") == people.share("gender", "female").count
    # The women target: 100 people with at least 50% women asks for 50 women.
    assert _number(total, "#targeted+f") == 50
    assert _number(total, "#targeted+m") == 12
    assert _number(total, "#targeted+children+f") == 4


def test_hxl_children_columns_add_up_to_children_reached(staff_client, ground_truth):
    response = staff_client.get(_csv_url(ground_truth, hxl=1), HTTP_ACCEPT_LANGUAGE="en")
    dataset = _hxl_dataset(response.content)
    report = figures_for_programme(programme=ground_truth.programme)
    total = _rows_by_kind(dataset)["total"]
    children = sum(
        int(value)
        for value, column in zip(total.values, dataset.columns, strict=True)
        if column.tag == "#reached"
        and ("children" in column.attributes or "adolescents" in column.attributes)
    )
    assert children == report.totals.children_reached


def test_unhcr_roll_up_merges_adult_bands_and_keeps_the_sums(staff_client, ground_truth):
    six = _hxl_dataset(
        staff_client.get(_csv_url(ground_truth, hxl=1), HTTP_ACCEPT_LANGUAGE="en").content
    )
    unhcr = _hxl_dataset(
        staff_client.get(
            _csv_url(ground_truth, hxl=1, age_bands="unhcr"), HTTP_ACCEPT_LANGUAGE="en"
        ).content
    )
    age_tags = [
        c.display_tag
        for c in unhcr.columns
        if c.tag == "#reached" and any(a.startswith("age") for a in c.attributes)
    ]
    assert age_tags == [
        "#reached+children+age0_4",
        "#reached+children+age5_11",
        "#reached+adolescents+age12_17",
        "#reached+adults+age18_59",
        "#reached+elderly+age60plus",
    ]
    six_rows, unhcr_rows = list(six), list(unhcr)
    assert len(six_rows) == len(unhcr_rows)
    for before, after in zip(six_rows, unhcr_rows, strict=True):
        assert int(after.get("#reached+age18_59")) == int(before.get("#reached+age18_24")) + int(
            before.get("#reached+age25_59")
        )
        for kept in ("age0_4", "age5_11", "age12_17", "age60plus"):
            assert after.get(f"#reached+{kept}") == before.get(f"#reached+{kept}")
        bands = ("age0_4", "age5_11", "age12_17", "age18_59", "age60plus")
        assert sum(int(after.get(f"#reached+{band}")) for band in bands) == int(
            after.get("#reached")
        )


def test_xlsx_donor_export_has_the_hashtag_row_under_the_header(staff_client, ground_truth):
    url = reverse("reporting:programme_figures_xlsx", args=[ground_truth.programme.pk])
    response = staff_client.get(url + "?hxl=1&age_bands=unhcr", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    dataset = hxl.data(values)
    assert "#reached+adults+age18_59" in [c.display_tag for c in dataset.columns]
    total = _rows_by_kind(dataset)["total"]
    report = figures_for_programme(programme=ground_truth.programme)
    assert int(total.get("#reached")) == report.totals.people_reached


def test_hxl_export_carries_attendance_and_event_count_targets_with_what_was_done(
    staff_client, ground_truth
):
    response = staff_client.get(_csv_url(ground_truth, hxl=1), HTTP_ACCEPT_LANGUAGE="en")
    rows = _rows_by_kind(_hxl_dataset(response.content))
    report = figures_for_programme(programme=ground_truth.programme, levels=("event",))
    total = rows["total"]
    # 50 attendances, at least 40% of them by migrants: 20 attendances by migrants.
    assert _number(total, "#targeted+attendances+migrants") == 20
    assert _number(total, "#output+events+num+target") == 3
    assert _number(total, "#output+events+num") == report.totals.events_held
    assert _number(total, "#output+sessions+num") == report.totals.sessions_held
    assert _number(total, "#reached+attendances") == report.totals.attendances
    for group in report.groups["event"]:
        row = rows["event"][group.label]
        assert _number(row, "#reached+attendances") == group.figures.attendances
        assert _number(row, "#reached+attendances+f") == (
            group.figures.breakdowns["attendances"].share("gender", "female").count
        )
        assert _number(row, "#output+events+num") == 1


def test_xlsx_has_column_widths_a_filter_and_real_dates(staff_client, ground_truth):
    import datetime

    url = reverse("reporting:programme_figures_xlsx", args=[ground_truth.programme.pk])
    for query in ("?hxl=1", "?hxl=1&shared=1", ""):
        response = staff_client.get(url + query, HTTP_ACCEPT_LANGUAGE="en")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header_rows = 2 if "hxl" in query else 1
        last = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A{header_rows}:{last}{sheet.max_row}", query
        for index in range(1, sheet.max_column + 1):
            letter = openpyxl.utils.get_column_letter(index)
            assert 8 <= sheet.column_dimensions[letter].width <= 40, (query, letter)
        if not query:
            continue
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=header_rows + 1):
            for column in ("From", "To"):
                cell = row[header.index(column)]
                assert isinstance(cell.value, datetime.datetime), (query, cell.value)
                assert cell.number_format == "yyyy-mm-dd"


def test_session_rows_when_asked(staff_client, ground_truth):
    response = staff_client.get(_csv_url(ground_truth, hxl=1, by="session"))
    dataset = _hxl_dataset(response.content)
    levels = [row.get("#meta+row") for row in dataset]
    assert levels.count("session") == 3 and levels[-1] == "total"


@pytest.mark.parametrize(
    "query", [{"by": "planet"}, {"age_bands": "ten"}, {"quarter": "2026-Q5"}, {"organization": "x"}]
)
def test_bad_export_options_are_a_400(staff_client, ground_truth, query):
    assert staff_client.get(_csv_url(ground_truth, hxl=1, **query)).status_code == 400


def test_plain_export_is_unchanged_without_donor_options(staff_client, ground_truth):
    response = staff_client.get(_csv_url(ground_truth), HTTP_ACCEPT_LANGUAGE="en")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["Level", "Event", "Session"]


# Period, site and partner filters, on the API.


def _api(client, gt, query):
    response = client.get(f"/api/v1/programmes/{gt.programme.pk}/figures?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_quarter_filter_is_the_quarter_dates(staff_client, ground_truth):
    by_quarter = _api(staff_client, ground_truth, "quarter=2026-Q4")
    by_dates = _api(staff_client, ground_truth, "date_from=2026-10-01&date_to=2026-12-31")
    assert by_quarter["totals"] == by_dates["totals"]
    assert by_quarter["filters"]["date_from"] == "2026-10-01"
    assert by_quarter["filters"]["date_to"] == "2026-12-31"
    # Nothing happened in the first quarter of 2027 but the empty event (no attendance).
    assert _api(staff_client, ground_truth, "quarter=2027-Q1")["totals"]["people_reached"] == 0


def test_quarter_and_dates_together_are_a_400(staff_client, ground_truth):
    url = f"/api/v1/programmes/{ground_truth.programme.pk}/figures"
    response = staff_client.get(url + "?quarter=2026-Q4&date_from=2026-10-01")
    assert response.status_code == 400


def test_school_and_city_filters(staff_client, ground_truth):
    school = _api(staff_client, ground_truth, "school=%C3%89cole%20A")
    expected = figures_for_programme(
        programme=ground_truth.programme, filters=FigureFilters(school="École A")
    )
    assert school["totals"]["people_reached"] == expected.totals.people_reached == 23
    assert _api(staff_client, ground_truth, "city=Nador")["totals"]["people_reached"] == 0
    everyone = _api(staff_client, ground_truth, "")["totals"]["people_reached"]
    assert _api(staff_client, ground_truth, "city=oujda")["totals"]["people_reached"] == everyone


def test_partner_organisation_filter_counts_organised_and_co_organised_events(
    staff_client, ground_truth
):
    partner = ground_truth.school_partner
    organised = _api(staff_client, ground_truth, f"organization={partner.pk}")
    assert organised["totals"]["people_reached"] == 23
    ground_truth.meeting.co_organizers.add(partner, ground_truth.lead)
    both = _api(staff_client, ground_truth, f"organization={partner.pk}")
    everyone = _api(staff_client, ground_truth, "")
    # Two co-organisers on the meeting must not count its attendances twice.
    assert both["totals"] == everyone["totals"]


def test_unknown_organisation_is_a_400(staff_client, ground_truth):
    url = f"/api/v1/programmes/{ground_truth.programme.pk}/figures?organization=999999"
    assert staff_client.get(url).status_code == 400


def test_dashboard_offers_the_site_and_partner_filters_and_donor_exports(
    staff_client, ground_truth
):
    url = reverse("reporting:programme_dashboard", args=[ground_truth.programme.pk])
    page = staff_client.get(
        f"{url}?organization={ground_truth.school_partner.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{ground_truth.school_partner.pk}" selected>School partner' in html
    assert "hxl=1&amp;shared=1" in html and "age_bands=unhcr" in html
    assert staff_client.get(f"{url}?quarter=2026-Q9").status_code == 400
