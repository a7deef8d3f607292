"""No partner-visible output of a forum reveals a small figure, directly or by subtraction: one
girl of 12-17 among the participants stays hidden in the partner API, the summary page and the
PDF, and an attacker who knows every visible figure and that each breakdown adds up to the total
cannot work her count out."""

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from core.demographics import DIMENSIONS
from forums.partners import partner_link_token
from tests.disclosure import marginal_lines, recovered

from .conftest import attendance, summary_sent

GIRL = {("gender", "female"), ("age_band", "12-17")}


@pytest.fixture
def one_girl_forum(closed_forum):
    """22 people: one girl 12-17 (the only female and the only 12-17), one person who preferred
    not to give a gender, twenty men."""
    session = closed_forum.session
    # The figures take a registered person's demographics from their attendee record.
    girl = closed_forum.tickets[0].attendee
    girl.gender, girl.age_band, girl.profile = "female", "12-17", "migrant"
    girl.save(update_fields=["gender", "age_band", "profile"])
    attendance(
        session,
        gender="female",
        age_band="12-17",
        profile="migrant",
        ticket=closed_forum.tickets[0],
    )
    attendance(session, gender="male", age_band="25-59", profile="host", headcount=14)
    attendance(session, gender="male", age_band="18-24", profile="migrant", headcount=6)
    attendance(session, gender="undisclosed", age_band="25-59", profile="refugee")
    summary_sent(closed_forum.event, new_version=True)
    return closed_forum


@pytest.fixture
def token(one_girl_forum, partner_contact):
    return partner_link_token(contact=partner_contact)


def _labels(language):
    """(section title, value label) -> cell key, in the partner's language."""
    with translation.override(language):
        titles = {"gender": "By gender", "age_band": "By age", "profile": "By profile"}
        return {
            (translation.gettext(titles[dimension]), str(choices(value).label)): (dimension, value)
            for dimension, choices in DIMENSIONS.items()
            for value in choices.values
        }


def _table(cells: dict, total) -> dict:
    """The full table a partner sees: values left out of a breakdown are zero."""
    table = {"total": total}
    for dimension, choices in DIMENSIONS.items():
        for value in choices.values:
            table[(dimension, value)] = cells.get((dimension, value), 0)
    return table


def _assert_girl_is_protected(table):
    for key in GIRL:
        assert table[key] == "<5", (key, table[key])
    assert recovered(table, marginal_lines(table)) == {}


def test_partner_api_hides_the_girl_and_its_complements(one_girl_forum, token, client):
    body = client.get(
        f"/api/v1/forums/{one_girl_forum.event.pk}/summary", HTTP_X_PARTNER_TOKEN=token
    ).json()
    cells = {
        (row["dimension"], item["value"]): item["count"]
        for row in body["figures"]
        for item in row["values"]
    }
    table = _table(cells, body["total_attendances"])
    assert table["total"] == "22"
    _assert_girl_is_protected(table)


def test_partner_summary_page_hides_the_girl(one_girl_forum, token, client):
    page = client.get(reverse("forums:partner_summary", args=[token, one_girl_forum.event.pk]))
    html = page.content.decode()
    labels = _labels("fr")
    cells = {}
    for title, body in re.findall(r"<h3>([^<]+)</h3>\s*<table>(.*?)</table>", html, re.S):
        for label, count in re.findall(r'<td>([^<]+)</td><td class="count">([^<]+)</td>', body):
            key = labels[(unescape(title.strip()), unescape(label.strip()))]
            cells[key] = unescape(count)
    assert cells, "no breakdown found on the page"
    total = re.search(r"<li><strong>([^<]+)</strong>", html).group(1)
    _assert_girl_is_protected(_table(cells, total))
    # The page says, in the partner's language, what the marks mean.
    assert "ne puisse pas être déduit des totaux" in html


def test_partner_pdf_hides_the_girl(one_girl_forum, token, client):
    pdf = client.get(reverse("forums:partner_pdf", args=[token, one_girl_forum.event.pk]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    labels = _labels("fr")
    titles = {title for title, _label in labels}
    cells, section = {}, None
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if line in titles:
            section = line
            continue
        key = labels.get((section, line))
        if key is not None:  # the PDF table puts each figure on the line under its label
            cells[key] = lines[index + 1]
    assert cells, text
    total = re.search(r"(\S+) participations", text).group(1)
    _assert_girl_is_protected(_table(cells, total))
