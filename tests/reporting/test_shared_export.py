"""The shared form of the donor export (?shared=1, what partners get) hides small figures and
their complements in every row; the organizers' own export keeps them exact."""

import csv
import io

import hxl
import pytest
from django.urls import reverse

from core.demographics import AgeBand, Gender, Profile
from events.models import EventKind
from tests.disclosure import recovered
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    MembershipFactory,
    ProgrammeFactory,
    SessionFactory,
)

GENDER_TAGS = ("#reached+f", "#reached+m", "#reached+i", "#reached+undisclosed")
AGE_TAGS = (
    "#reached+children+age0_4",
    "#reached+children+age5_11",
    "#reached+adolescents+age12_17",
    "#reached+adults+age18_24",
    "#reached+adults+age25_59",
    "#reached+elderly+age60plus",
)
PROFILE_TAGS = (
    "#reached+migrants",
    "#reached+refugees",
    "#reached+host",
    "#reached+profile_undisclosed",
)


@pytest.fixture
def school_session(db):
    """A class at a school: one girl of 12-17, fifteen boys of 12-17, their teacher (a man)."""
    programme = ProgrammeFactory(small_number_threshold=5)
    campaign = EventFactory(
        programme=programme, kind=EventKind.SCHOOL_CAMPAIGN, title="Campagne écoles"
    )
    session = SessionFactory(event=campaign, school_name="Collège Al Qods")
    row = {"session": session, "source": "class_tally", "profile": Profile.MIGRANT}
    AttendanceFactory(**row, gender=Gender.FEMALE, age_band=AgeBand.AGE_12_17, headcount=1)
    AttendanceFactory(**row, gender=Gender.MALE, age_band=AgeBand.AGE_12_17, headcount=15)
    AttendanceFactory(
        session=session, gender=Gender.MALE, age_band=AgeBand.AGE_25_59, profile=Profile.HOST
    )
    return session


def _export(client, session, query):
    client.force_login(MembershipFactory(organization=session.event.organizer).user)
    url = reverse("reporting:programme_figures_csv", args=[session.event.programme_id])
    response = client.get(f"{url}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return response


def _table(row) -> dict:
    """One row as the attacker sees it: the total and three breakdowns that add up to it."""
    table = {"total": row.get("#reached")}
    for tags in (GENDER_TAGS, AGE_TAGS, PROFILE_TAGS):
        for tag in tags:
            table[tag] = row.get(tag)
    return {key: int(v) if v.isdigit() else v for key, v in table.items()}


def _lines(table):
    return [
        (tuple(tag for tag in tags if tag in table), "total")
        for tags in (GENDER_TAGS, AGE_TAGS, PROFILE_TAGS)
    ]


@pytest.mark.parametrize("query", ["shared=1&hxl=1", "shared=1&hxl=1&by=session"])
def test_shared_export_hides_the_girl_in_every_row(client, school_session, query):
    dataset = hxl.data(
        hxl.input.make_input(io.BytesIO(_export(client, school_session, query).content))
    )
    rows = list(dataset)
    assert len(rows) == 2  # the event (or the session), then the programme total
    for row in rows:
        table = _table(row)
        assert table["#reached+f"] == "<5"
        assert table["#reached+undisclosed"] == 0
        assert table["total"] == 17
        assert recovered(table, _lines(table)) == {}


def test_shared_export_with_unhcr_bands_hides_the_girl(client, school_session):
    response = _export(client, school_session, "shared=1&hxl=1&age_bands=unhcr")
    rows = list(hxl.data(hxl.input.make_input(io.BytesIO(response.content))))
    assert rows[0].get("#reached+f") == "<5"
    assert rows[0].get("#reached+adults+age18_59") in ("<5", "x")


def test_shared_csv_without_hashtags_says_how_figures_are_hidden(client, school_session):
    response = _export(client, school_session, "shared=1")
    assert "-shared.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Row" and "<5" in rows[1]


def test_organizers_donor_export_keeps_exact_figures(client, school_session):
    response = _export(client, school_session, "hxl=1")
    row = next(iter(hxl.data(hxl.input.make_input(io.BytesIO(response.content)))))
    assert row.get("#reached+f") == "1"
    assert row.get("#reached+adolescents+age12_17") == "16"


def test_shared_xlsx_hides_the_girl_and_explains_the_marks(client, school_session):
    import openpyxl

    client.force_login(MembershipFactory(organization=school_session.event.organizer).user)
    url = reverse("reporting:programme_figures_xlsx", args=[school_session.event.programme_id])
    response = client.get(f"{url}?shared=1&hxl=1&school=Coll%C3%A8ge%20Al%20Qods")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    female = rows[1].index("#reached +f")
    assert [row[female] for row in rows[2:]] == ["<5", "<5"]
    notes = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row)
    assert "Collège Al Qods" in notes and "ne puisse pas être déduit des totaux" in notes
    assert "un total (personnes touchées d'un événement, total du programme)" in notes


@pytest.fixture
def two_classes(db):
    """A class of 21 (13 boys with their teacher, seven girls, one pupil of another gender) and a
    class of 12: 33 people, 21 males and 28 people of 12-17 in the programme."""
    programme = ProgrammeFactory(small_number_threshold=5)
    tallies = {
        "Classe A": [
            (Gender.FEMALE, AgeBand.AGE_12_17, Profile.MIGRANT, 7),
            (Gender.MALE, AgeBand.AGE_12_17, Profile.MIGRANT, 12),
            (Gender.MALE, AgeBand.AGE_25_59, Profile.HOST, 1),
            (Gender.OTHER, AgeBand.AGE_12_17, Profile.MIGRANT, 1),
        ],
        "Classe B": [
            (Gender.FEMALE, AgeBand.AGE_12_17, Profile.MIGRANT, 4),
            (Gender.MALE, AgeBand.AGE_12_17, Profile.MIGRANT, 4),
            (Gender.MALE, AgeBand.AGE_25_59, Profile.HOST, 4),
        ],
    }
    for title, rows in tallies.items():
        event = EventFactory(programme=programme, kind=EventKind.SCHOOL_CAMPAIGN, title=title)
        session = SessionFactory(event=event)
        for gender, age_band, profile, headcount in rows:
            tally = {"gender": gender, "age_band": age_band, "profile": profile}
            AttendanceFactory(session=session, source="class_tally", headcount=headcount, **tally)
    return session


def test_shared_export_keeps_large_totals_and_hides_small_cells_from_every_total(
    client, two_classes
):
    response = _export(client, two_classes, "shared=1&hxl=1")
    rows = list(hxl.data(hxl.input.make_input(io.BytesIO(response.content))))
    assert [row.get("#meta+row") for row in rows] == ["event", "event", "total"]
    # The totals readers need are published: both classes, the programme, its males and its
    # 12-17s (hiding them used to be how the small cells were protected).
    assert [row.get("#reached") for row in rows] == ["21", "12", "33"]
    assert rows[2].get("#reached+m") == "21"
    assert rows[2].get("#reached+adolescents+age12_17") == "28"
    assert rows[0].get("#reached+i") == "<5"
    # Neither a row's total nor a column's total nor the grand total gives a hidden cell away.
    flat, lines = {}, []
    for index, row in enumerate(rows):
        for key, value in _table(row).items():
            flat[(index, key)] = value
        for parts, total in _lines(_table(row)):
            lines.append((tuple((index, part) for part in parts), (index, total)))
    for column in _table(rows[0]):
        lines.append((((0, column), (1, column)), (2, column)))
    assert any(value in ("x", "<5") for value in flat.values())
    assert recovered(flat, lines) == {}
