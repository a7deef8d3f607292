"""What one door scan reads, in one plain SQL statement (core/fastsql.py says why): the session's
check-in context (window, door settings, whether the token may use it, the answer already given
to this nonce) and the ticket with what the answer shows and its admission to the session.

The rare answers (a ticket for another event, a ticket restricted to some sessions) read more,
through the ORM, only when they happen."""

import datetime
import json
import re
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from core.demographics import AgeBand, Gender, Profile
from core.fastsql import aware, fetch_one_named
from events.codes import normalize_short_code
from events.models import Attendee, Event, Session, Ticket

from .models import Attendance, DoorSettings, DoorToken, ScanAttempt

# A QR code may hold the bare secret or the ticket page's URL; both lead to the secret.
_TICKET_URL = re.compile(r"/tickets/([A-Za-z0-9_-]+)/?$")
MAX_TEXT_LENGTH = 512


@dataclass(frozen=True)
class Admission:
    """A ticket's active (not voided) attendance for one session."""

    id: int
    recorded_at: datetime.datetime
    gate: str


@dataclass(frozen=True)
class ScanContext:
    session_id: int | None  # None: no such session
    event_id: int
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    opens_minutes_before: int
    closes_minutes_after: int
    exit_scans_enabled: bool
    token_active: bool  # not revoked, not expired
    token_allowed: bool  # assigned to the session's event
    stored_answer: dict | None


@dataclass(frozen=True)
class DoorTicket:
    """The door's view of a ticket: what the answer shows, never phone, e-mail or family name."""

    id: int
    event_id: int
    secret: str
    short_code: str
    status: str
    first_name: str
    gender: str
    age_band: str
    profile: str
    group_size: int
    has_session_restrictions: bool
    # The active admission to the scanned session, when read with it (door_ticket).
    admission: Admission | None = None

    @classmethod
    def from_model(cls, ticket: Ticket) -> "DoorTicket":
        attendee = ticket.attendee
        return cls(
            id=ticket.pk,
            event_id=ticket.event_id,
            secret=ticket.secret,
            short_code=ticket.short_code,
            status=ticket.status,
            first_name=attendee.first_name,
            gender=attendee.gender,
            age_band=attendee.age_band,
            profile=attendee.profile,
            group_size=_annotated_or(
                ticket,
                "group_size",
                lambda: Attendee.objects.filter(registration_id=attendee.registration_id).count(),
            ),
            has_session_restrictions=_annotated_or(
                ticket, "has_session_restrictions", lambda: ticket.sessions.exists()
            ),
        )

    @property
    def gender_label(self) -> str:
        return str(dict(Gender.choices).get(self.gender, self.gender))

    @property
    def profile_label(self) -> str:
        return str(dict(Profile.choices).get(self.profile, self.profile))

    @property
    def age_band_label(self) -> str:
        return str(dict(AgeBand.choices).get(self.age_band, self.age_band))

    def event_title_for(self, token_id: int) -> str | None:
        """The title of the ticket's event, for the answer "this ticket is for another event",
        when the door token may know it: one of the token's events has the same organizer. A
        volunteer of one organisation is told nothing of another's events (None). One query,
        on this rare answer only."""
        same_organizer = Event.objects.filter(door_tokens=token_id).values("organizer_id")
        event = Event.objects.filter(pk=self.event_id, organizer_id__in=same_organizer).first()
        return event.display_title if event else None

    def allowed_sessions(self) -> list[Session]:
        """The sessions this ticket is restricted to; empty when valid for every session."""
        if not self.has_session_restrictions:
            return []
        return list(Session.objects.filter(restricted_tickets=self.id).order_by("date"))


def _annotated_or(ticket: Ticket, name: str, query):
    """A value door_tickets() annotated on the ticket, else its own query (one ticket alone)."""
    value = getattr(ticket, name, None)
    return query() if value is None else value


def door_tickets(ticket_ids) -> dict[int, DoorTicket]:
    """DoorTickets by id, read in one query whatever their number (an offline sync's batch)."""
    members = (
        Attendee.objects.filter(registration_id=OuterRef("attendee__registration_id"))
        .order_by()
        .values("registration_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    tickets = (
        Ticket.objects.filter(pk__in=ticket_ids)
        .select_related("attendee")
        .annotate(
            group_size=Subquery(members),
            has_session_restrictions=Exists(
                Ticket.sessions.through.objects.filter(ticket_id=OuterRef("pk"))
            ),
        )
    )
    return {ticket.pk: DoorTicket.from_model(ticket) for ticket in tickets}


def _tables() -> dict[str, str]:
    return {
        "session": Session._meta.db_table,
        "door_settings": DoorSettings._meta.db_table,
        "token": DoorToken._meta.db_table,
        "token_events": DoorToken.events.through._meta.db_table,
        "scan_attempt": ScanAttempt._meta.db_table,
        "ticket": Ticket._meta.db_table,
        "ticket_sessions": Ticket.sessions.through._meta.db_table,
        "attendee": Attendee._meta.db_table,
        "attendance": Attendance._meta.db_table,
    }


@cache
def _ticket_sql(column: str) -> str:
    """The ticket whose `column` (secret or short_code, both unique) has a value, with its
    admission to a session. Parameters: session id three times, the value."""
    return """
        SELECT t.id AS ticket_id, t.event_id AS ticket_event_id, t.secret, t.short_code,
               t.status AS ticket_status, a.first_name, a.gender, a.age_band, a.profile,
               (SELECT COUNT(*) FROM {attendee} m
                WHERE m.registration_id = a.registration_id) AS group_size,
               EXISTS (SELECT 1 FROM {ticket_sessions} ts WHERE ts.ticket_id = t.id) AS restricted,
               {admission_id} AS admission_id,
               {admitted_at} AS admitted_at,
               {admitted_gate} AS admitted_gate
        FROM {ticket} t
        JOIN {attendee} a ON a.id = t.attendee_id
        WHERE t.{column} = %s
    """.format(  # noqa: S608 (table names from the models, values bound)
        admission_id=_admission_column("id"),
        admitted_at=_admission_column("recorded_at"),
        admitted_gate=_admission_column("gate"),
        column={"secret": "secret", "short_code": "short_code"}[column],  # these two only
        **_tables(),
    )


def _admission_column(column: str) -> str:
    # Scalar lookups, one per column, each a probe by ticket whatever the statistics say. A join
    # let the planner scan the table; and a session's admissions are what statistics know least
    # (a fair's session goes from none to thousands before autovacuum looks), so "+ 0" keeps the
    # session indexes out of it: a ticket has one row per session it attended, at most.
    table = Attendance._meta.db_table
    return (
        f"(SELECT x.{column} FROM {table} x"  # noqa: S608 (names from the model, values bound)
        " WHERE x.ticket_id = t.id AND x.session_id + 0 = %s AND x.voided_at IS NULL)"
    )


@cache
def _scan_sql(column: str) -> str:
    """The session's door context and the scanned ticket in one round trip. Always one row, so
    that the token's state is known even for an unknown session (its columns are then NULL). The
    ticket is a derived table joined on nothing: it depends on parameters only.
    Parameters: token id, now, token id, token id, nonce, session id, the ticket query's four."""
    return """
        SELECT s.id AS session_id, s.event_id, s.date, s.start_time, s.end_time,
               ds.opens_minutes_before, ds.closes_minutes_after, ds.exit_scans_enabled,
               EXISTS (SELECT 1 FROM {token} d WHERE d.id = %s AND d.revoked_at IS NULL
                       AND (d.expires_at IS NULL OR d.expires_at > %s)) AS token_active,
               EXISTS (SELECT 1 FROM {token_events} te
                       WHERE te.doortoken_id = %s AND te.event_id = s.event_id) AS token_allowed,
               (SELECT sa.response FROM {scan_attempt} sa
                WHERE sa.token_id = %s AND sa.nonce = %s) AS stored_answer,
               tk.ticket_id, tk.ticket_event_id, tk.secret, tk.short_code, tk.ticket_status,
               tk.first_name, tk.gender, tk.age_band, tk.profile, tk.group_size, tk.restricted,
               tk.admission_id, tk.admitted_at, tk.admitted_gate
        FROM (SELECT 1 AS one) base
        LEFT JOIN {session} s ON s.id = %s
        LEFT JOIN {door_settings} ds ON ds.event_id = s.event_id
        LEFT JOIN ({ticket_query}) tk ON 1 = 1
    """.format(ticket_query=_ticket_sql(column), **_tables())  # noqa: S608 (as above)


def _stored(value) -> dict | None:
    # PostgreSQL hands jsonb back as text to Django's connections, SQLite always does.
    if value is None or isinstance(value, dict):
        return value
    return json.loads(value)


def _ticket_lookup(text: str) -> tuple[str, str | None]:
    """Which column names the ticket in a scanned or typed text, and the value to look for: the
    short code when the text is one (a 32-character secret never is), else the QR secret, bare
    or inside the ticket page's URL. Empty or oversized text looks for nothing (None)."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        return "secret", None
    if code := normalize_short_code(text):
        return "short_code", code
    match = _TICKET_URL.search(text)
    return "secret", match.group(1) if match else text


def _ticket_from(row) -> DoorTicket | None:
    """A DoorTicket from the ticket query's columns (named, in either statement's row)."""
    if row.ticket_id is None:
        return None
    admission = None
    if row.admission_id is not None:
        admission = Admission(
            id=row.admission_id, recorded_at=aware(row.admitted_at), gate=row.admitted_gate
        )
    return DoorTicket(
        id=row.ticket_id,
        event_id=row.ticket_event_id,
        secret=row.secret,
        short_code=row.short_code,
        status=row.ticket_status,
        first_name=row.first_name,
        gender=row.gender,
        age_band=row.age_band,
        profile=row.profile,
        group_size=row.group_size,
        has_session_restrictions=bool(row.restricted),
        admission=admission,
    )


def door_ticket(text: str, session_id: int) -> tuple[DoorTicket | None, bool]:
    """The ticket a scanned or typed text names, with its admission to `session_id`; and whether
    it was named by its short code."""
    column, value = _ticket_lookup(text)
    if value is None:
        return None, False
    row = fetch_one_named(_ticket_sql(column), [session_id, session_id, session_id, value])
    return (_ticket_from(row) if row else None), column == "short_code"


# Ids beyond PostgreSQL's bigint (and SQLite's integer) are nobody's: looked up as 0, not sent.
MAX_ID = 2**63 - 1


def scan_reads(
    *, token_id: int, session_id: int, nonce, text: str
) -> tuple[ScanContext, DoorTicket | None, bool]:
    """Everything a scan reads, in one statement: the token's state and the session's door
    context for this token and nonce (session_id None when the session is unknown), the ticket
    `text` names with its admission to the session, and whether its short code named it."""
    nonce_value = ScanAttempt._meta.get_field("nonce").get_db_prep_value(nonce, connection)
    column, value = _ticket_lookup(text)
    now = DoorToken._meta.get_field("expires_at").get_db_prep_value(timezone.now(), connection)
    session_id = session_id if 0 < session_id <= MAX_ID else 0
    ticket_params = [session_id, session_id, session_id, value]
    params = [token_id, now, token_id, token_id, nonce_value, session_id, *ticket_params]
    row = fetch_one_named(_scan_sql(column), params)
    opens, closes = row.opens_minutes_before, row.closes_minutes_after
    context = ScanContext(
        session_id=row.session_id,
        event_id=row.event_id,
        date=row.date,
        start_time=row.start_time,
        end_time=row.end_time,
        # An event whose organizer never set its door uses the model's defaults.
        opens_minutes_before=DoorSettings.DEFAULT_OPENS_MINUTES_BEFORE if opens is None else opens,
        closes_minutes_after=DoorSettings.DEFAULT_CLOSES_MINUTES_AFTER
        if closes is None
        else closes,
        exit_scans_enabled=bool(row.exit_scans_enabled),
        token_active=bool(row.token_active),
        token_allowed=bool(row.token_allowed),
        stored_answer=_stored(row.stored_answer),
    )
    return context, _ticket_from(row), column == "short_code"


def active_admission(*, ticket_id: int, session_id: int) -> Admission | None:
    row = (
        Attendance.objects.filter(ticket_id=ticket_id, session_id=session_id, voided_at=None)
        .values_list("id", "recorded_at", "gate")
        .first()
    )
    return Admission(*row) if row else None


@dataclass(frozen=True)
class GroupMember:
    """One ticket of a household's or class's registration, as the door's group panel shows it."""

    ticket_id: int
    secret: str  # to scan the member's own ticket; never sent to the phone
    first_name: str
    gender: str
    age_band: str
    status: str
    admitted: bool  # an active attendance to the session

    @property
    def gender_label(self) -> str:
        return str(dict(Gender.choices).get(self.gender, self.gender))


def group_members(*, ticket_id: int, session_id: int) -> list[GroupMember]:
    """The tickets of the registration `ticket_id` belongs to (its whole household or class, the
    scanned ticket too), contact person first, each with whether it is admitted to the session.
    One query, read only for a ticket whose group has more than one person."""
    registration = Attendee.objects.filter(ticket=ticket_id).values("registration_id")
    admitted = Attendance.objects.filter(
        ticket_id=OuterRef("pk"), session_id=session_id, voided_at__isnull=True
    )
    rows = (
        Ticket.objects.filter(attendee__registration_id__in=Subquery(registration))
        .annotate(admitted=Exists(admitted))
        .order_by("-attendee__is_contact", "attendee_id")
        .values_list(
            "pk",
            "secret",
            "attendee__first_name",
            "attendee__gender",
            "attendee__age_band",
            "status",
            "admitted",
        )
    )
    return [GroupMember(*row) for row in rows]
