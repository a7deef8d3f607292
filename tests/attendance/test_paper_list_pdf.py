"""The paper check-in list in French, Arabic and English, read back as printed: every string in
a font that draws it, the date in the list's language, the table from the right in Arabic, and
a class member's group cell empty instead of the class size."""

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from attendance.paper import paper_list_pdf
from attendance.selectors import session_tickets
from events.models import Registration
from tests.factories import AttendeeFactory, RegistrationFactory, SessionFactory, TicketFactory
from tests.pdf_text import as_printed, left_to_right, line_with, month_as_written, pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    session = SessionFactory()
    household = RegistrationFactory(event=session.event, kind=Registration.Kind.HOUSEHOLD)
    TicketFactory(attendee=AttendeeFactory(registration=household, first_name="فاطمة"))
    for name in ("Moussa", "Awa"):
        TicketFactory(attendee=AttendeeFactory(registration=household, first_name=name))
    school_class = RegistrationFactory(event=session.event, kind=Registration.Kind.GROUP)
    TicketFactory(attendee=AttendeeFactory(registration=school_class, first_name="Yassine"))
    for index in range(12):
        AttendeeFactory(registration=school_class, first_name=f"Pupil {index}")
    return session


def _printed(session, language):
    with translation.override(language):
        pdf = paper_list_pdf(session=session, tickets=session_tickets(session=session))
        strings = {
            "title": _("Check-in list"),
            "headers": [_("Code"), _("First name"), _("Group"), _("Present")],
            "month": month_as_written(timezone.localtime()),
        }
    return pdf_lines(pdf), strings


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_every_string_of_the_paper_list_is_printed_in_its_language(session, language):
    lines, strings = _printed(session, language)
    line_with(lines, strings["title"])
    header = line_with(lines, strings["headers"][0])
    for text in strings["headers"]:
        assert as_printed(text) in header, (text, header)
    line_with(lines, strings["month"])
    line_with(lines, "فاطمة")
    line_with(lines, "Moussa")


def test_the_arabic_list_reads_from_the_right_and_keeps_french_out(session):
    lines, strings = _printed(session, "ar")
    code, first_name, group, present = strings["headers"]
    header = line_with(lines, code)
    assert left_to_right(header, present, group, first_name, code), header
    with translation.override("fr"):
        french = [
            _("Check-in list"),
            _("Present"),
            _("Printed on %(date)s").split("%")[0].strip(),
            date_format(timezone.localtime(), "F"),
        ]
    assert not any(text in line for text in french for line in lines), lines


def test_the_french_list_reads_from_the_left(session):
    lines, strings = _printed(session, "fr")
    code, first_name, group, present = strings["headers"]
    assert left_to_right(line_with(lines, code), code, first_name, group, present)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_class_member_has_no_group_figure_and_a_household_member_its_size(session, language):
    lines, _strings = _printed(session, language)

    def group_side(name: str) -> str:
        """What the line holds on the group's side of the name (left in Arabic)."""
        line = line_with(lines, name)
        before, after = line.split(as_printed(name))
        return before if language == "ar" else after

    assert group_side("Yassine").strip() == ""  # not 13, the size of the class
    assert group_side("Moussa").strip() == "3"
