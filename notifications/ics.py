"""An iCalendar (RFC 5545) file of a ticket's sessions, written by hand: it is a few lines, and
the rules that matter are here — CRLF line ends, TEXT escaping, lines folded at 75 octets, UTC
times with a trailing Z, a stable UID per session so calendar apps update instead of duplicating."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from events.models import Session


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """Split a content line into 75-octet pieces without cutting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current, limit = [], b"", 75
    for char in line:
        char_bytes = char.encode("utf-8")
        if len(current) + len(char_bytes) > limit:
            pieces.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with one space
        current += char_bytes
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_bounds(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(session.date, session.start_time, tzinfo=zone)
    end = datetime.datetime.combine(session.date, session.end_time, tzinfo=zone)
    return start, end


def sessions_ics(sessions: Iterable[Session], *, title: str, domain: str, url: str = "") -> str:
    now = utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Multaqa//Events//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for session in sessions:
        start, end = session_bounds(session)
        summary = f"{title} — {session.title}" if session.title else title
        location = ", ".join(part for part in (session.venue.name, session.venue.city) if part)
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.pk}@{domain}",
            f"DTSTAMP:{now}",
            f"DTSTART:{utc_stamp(start)}",
            f"DTEND:{utc_stamp(end)}",
            f"SUMMARY:{escape_text(summary)}",
            f"LOCATION:{escape_text(location)}",
        ]
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
