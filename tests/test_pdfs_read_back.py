"""Badges and participant cards read back as printed (pdftotext): the event's title in the
reader's language, Arabic joined, the trilingual card text whole. The paper check-in list and
the forum summary have their own files (tests/attendance/test_paper_list_pdf.py,
tests/forums/test_summary_pdf_text.py)."""

import pytest
from django.utils import translation

from events.badges import badges_pdf
from participants.card_pdf import HINT, TITLES, cards_pdf
from tests.factories import EventFactory, ParticipantCardFactory, TicketFactory
from tests.pdf_text import line_with, pdf_lines, words_printed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Forum des jeunes"), ("ar", "منتدى الشباب"), ("en", "Youth forum")],
)
def test_badges_print_the_title_in_the_reader_s_language_and_the_name(language, title):
    event = EventFactory(title="Forum des jeunes", title_ar="منتدى الشباب", title_en="Youth forum")
    ticket = TicketFactory(attendee__registration__event=event, attendee__first_name="فاطمة")
    with translation.override(language):
        lines = pdf_lines(badges_pdf([ticket]))
    line_with(lines, title)
    line_with(lines, "فاطمة")
    line_with(lines, ticket.short_code[:4])


@pytest.mark.parametrize("layout", ["a6", "a4"])
def test_participant_cards_print_their_three_languages(layout):
    lines = pdf_lines(cards_pdf([ParticipantCardFactory()], layout=layout))
    for text in (*TITLES, HINT):
        words_printed(lines, text)
