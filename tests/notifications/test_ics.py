import pytest

from notifications.ics import escape_text, fold_line, sessions_ics
from tests.factories import SessionFactory


def test_text_values_are_escaped():
    assert (
        escape_text("Salle A, étage 1; porte\\2\nentrée")
        == "Salle A\\, étage 1\\; porte\\\\2\\nentrée"
    )


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "ملتقى " * 40
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


@pytest.mark.django_db
def test_calendar_has_one_utc_event_per_session_with_crlf_lines():
    session = SessionFactory(title="Atelier, cuisine; musique")
    text = sessions_ics(
        [session], title="Rencontre", domain="multaqa.ma", url="https://multaqa.ma/t/x/"
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith(
        "END:VCALENDAR\r\n"
    )
    assert "\n" not in text.replace("\r\n", "")
    assert f"UID:session-{session.pk}@multaqa.ma" in text
    assert "DTSTART:20261201T090000Z" in text and "DTEND:20261201T110000Z" in text
    assert "SUMMARY:Rencontre — Atelier\\, cuisine\\; musique" in text
