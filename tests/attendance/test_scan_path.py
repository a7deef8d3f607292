"""The scan's hot path: a constant, small number of statements, and plain-SQL writes that store
exactly what the ORM would (issue 10). Transactional tests: the statements are counted as in
production, outside any test transaction."""

import dataclasses
import datetime
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import Attendance, ScanAttempt, ScanStatus
from attendance.scan_reads import door_ticket, scan_reads
from attendance.schemas import ScanResult
from attendance.services.scans import checkin_scan
from attendance.services.tokens import door_token_authenticate
from tests.attendance.conftest import DOOR_OPEN
from tests.factories import EventFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("door_open")]

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")


def _statements(captured) -> list[str]:
    """The SQL statements run, transaction control left out (SQLite and PostgreSQL report it
    differently)."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]


def _scan_over_http(client, issued, session, text):
    return client.post(
        "/api/v1/checkin/scan",
        {"text": text, "session_id": session.pk, "nonce": str(uuid.uuid4())},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )


def test_a_scan_runs_two_or_three_statements_whatever_the_data(client, issued, session):
    tickets = TicketFactory.create_batch(4, attendee__registration__event=session.event)
    with CaptureQueriesContext(connection) as captured:
        _scan_over_http(client, issued, session, tickets[0].secret)
    assert "doortoken" in _statements(captured)[0]  # the token, read once, then recalled
    counts = []
    for ticket in tickets[1:3]:
        for _round in ("first", "repeat"):
            with CaptureQueriesContext(connection) as captured:
                response = _scan_over_http(client, issued, session, ticket.secret)
            assert response.status_code == 200
            counts.append(len(_statements(captured)))
        TicketFactory.create_batch(20, attendee__registration__event=session.event)

    # Token state, context and ticket in one read; then the attendance and its scan log row:
    # one statement on PostgreSQL, two INSERTs elsewhere. A repeat writes the log row alone.
    first = 2 if connection.vendor == "postgresql" else 3
    assert counts == [first, 2, first, 2]


def test_refusals_write_the_scan_log_row_alone(client, issued, session):
    with CaptureQueriesContext(connection) as captured:
        response = _scan_over_http(client, issued, session, "no-such-ticket")

    assert response.json()["status"] == ScanStatus.UNKNOWN_TICKET
    inserts = [sql for sql in _statements(captured) if sql.startswith("INSERT")]
    assert len(inserts) == 1 and "scanattempt" in inserts[0]


@pytest.fixture(params=["native", "portable"])
def write_path(request, monkeypatch):
    """Both ways of writing an admission: PostgreSQL's one statement (where the tests run on
    PostgreSQL) and the portable transaction, which runs on any database."""
    if request.param == "portable":
        monkeypatch.setattr(connection, "vendor", "portable")
    return request.param


def test_plain_sql_rows_read_back_through_the_orm_exactly(write_path, token, session, ticket):
    client_time = datetime.datetime(2026, 3, 1, 9, 59, 58, 123456, tzinfo=datetime.UTC)
    nonce = uuid.uuid4()

    answer = checkin_scan(
        token=token,
        text=ticket.secret,
        session=session.pk,
        gate="B",
        nonce=nonce,
        client_time=client_time,
    )

    attendance = Attendance.objects.get()
    attempt = ScanAttempt.objects.get()
    assert answer["status"] == ScanStatus.ADMITTED
    assert attempt.nonce == nonce and attempt.client_time == client_time
    assert attempt.response == answer and attempt.attendance == attendance
    assert attempt.ticket == ticket and attempt.token == token
    # Stored as the ORM stores datetimes, so ORM filters and ordering keep working.
    assert Attendance.objects.filter(recorded_at=attendance.recorded_at).count() == 1
    assert ScanAttempt.objects.filter(client_time__lt=client_time).count() == 0
    assert attendance.gender == ticket.attendee.gender
    assert (attendance.gate, attendance.recorded_by_label, attendance.void_reason) == (
        "B",
        token.label,
        "",
    )


def test_the_scan_reads_name_a_ticket_by_secret_url_or_short_code(token, session, ticket):
    by_url = f"https://multaqa.example/tickets/{ticket.secret}/"
    for text, by_short_code in [
        (ticket.secret, False),
        (by_url, False),
        (ticket.short_code.lower(), True),
    ]:
        context, found, short = scan_reads(
            token_id=token.pk, session_id=session.pk, nonce=uuid.uuid4(), text=text
        )
        assert context.session_id == session.pk and context.token_allowed
        assert (found.id, short) == (ticket.pk, by_short_code)
        assert found.admission is None and found.group_size == 1


def test_the_scan_reads_bring_the_admission_and_the_stored_answer(
    write_path, token, session, ticket
):
    nonce = uuid.uuid4()
    answer = checkin_scan(token=token, text=ticket.secret, session=session, nonce=nonce)

    context, found, _short = scan_reads(
        token_id=token.pk, session_id=session.pk, nonce=nonce, text=ticket.secret
    )

    assert context.stored_answer == answer
    assert found.admission.id == Attendance.objects.get().pk


def test_unknown_or_absent_texts_find_no_ticket(session, ticket):
    assert door_ticket("", session.pk) == (None, False)
    assert door_ticket("x" * 600, session.pk) == (None, False)
    assert door_ticket(ticket.secret[:-1], session.pk) == (None, False)


def test_the_scan_reads_say_unknown_session_and_foreign_token(token):
    other_session = SessionFactory(event=EventFactory())

    missing, _ticket, _short = scan_reads(
        token_id=token.pk, session_id=10**9, nonce=uuid.uuid4(), text=""
    )
    foreign, _ticket, _short = scan_reads(
        token_id=token.pk, session_id=other_session.pk, nonce=uuid.uuid4(), text=""
    )

    assert missing.session_id is None and missing.token_active
    assert foreign.session_id == other_session.pk and foreign.token_allowed is False


def test_a_refused_token_logs_nothing_of_the_ticket(token, ticket):
    other_session = SessionFactory(event=EventFactory())

    answer = checkin_scan(
        token=token, text=ticket.secret, session=other_session, nonce=uuid.uuid4()
    )

    assert answer["status"] == ScanStatus.NOT_ALLOWED
    attempt = ScanAttempt.objects.get()
    assert attempt.ticket_id is None and ticket.secret not in attempt.text


def test_the_authenticated_token_loads_its_other_fields_on_demand(issued):
    door_token = door_token_authenticate(issued.raw_token)

    assert door_token.pk == issued.door_token.pk
    assert door_token.token_prefix == issued.door_token.token_prefix
    assert door_token.created_at == issued.door_token.created_at


def test_an_admission_skipped_by_the_constraint_writes_nothing_of_its_own(
    write_path, token, session, ticket
):
    """The race lost between the read and the write: the attendance row is skipped, and the scan
    log row records "already admitted", never a second admission."""
    from attendance.scan_reads import scan_reads as real_scan_reads
    from attendance.services import scans

    first = checkin_scan(token=token, text=ticket.secret, session=session, nonce=uuid.uuid4())

    def stale_reads(**kwargs):  # what a scan read a moment before the first admission
        context, found, short = real_scan_reads(**kwargs)
        return context, dataclasses.replace(found, admission=None), short

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scans, "scan_reads", stale_reads)
        second = checkin_scan(token=token, text=ticket.secret, session=session, nonce=uuid.uuid4())

    assert (first["status"], second["status"]) == ("admitted", "already_admitted")
    assert Attendance.objects.count() == 1
    statuses = sorted(ScanAttempt.objects.values_list("status", "attendance_id"))
    attendance_id = Attendance.objects.get().pk
    assert statuses == [("admitted", attendance_id), ("already_admitted", attendance_id)]


def test_a_token_revoked_after_its_first_scan_is_refused_at_the_next(client, issued, session):
    """The scan endpoint recalls tokens it read recently; its own read still sees a revocation."""
    from attendance.services.tokens import door_token_revoke

    tickets = TicketFactory.create_batch(2, attendee__registration__event=session.event)
    assert _scan_over_http(client, issued, session, tickets[0].secret).status_code == 200

    door_token_revoke(door_token=issued.door_token, revoked_by=None)
    refused = _scan_over_http(client, issued, session, tickets[1].secret)

    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert Attendance.objects.count() == 1 and ScanAttempt.objects.count() == 1
    assert _scan_over_http(client, issued, session, tickets[1].secret).status_code == 401


def test_a_token_that_expires_between_two_scans_is_refused(client, session, door_open):
    from attendance.services.tokens import door_token_create

    issued = door_token_create(
        label="Evening shift",
        events=[session.event],
        created_by=None,
        expires_at=DOOR_OPEN + datetime.timedelta(minutes=5),
    )
    tickets = TicketFactory.create_batch(2, attendee__registration__event=session.event)
    assert _scan_over_http(client, issued, session, tickets[0].secret).status_code == 200

    door_open.shift(datetime.timedelta(minutes=6))

    assert _scan_over_http(client, issued, session, tickets[1].secret).status_code == 401
    assert Attendance.objects.count() == 1


def test_the_scan_answer_is_exactly_the_documented_schema(client, issued, session):
    """The scan view sends the service's answer as built; it must be ScanResult's shape."""
    from attendance.schemas import DoorAttendeeOut, ScanResult

    ticket = TicketFactory(attendee__registration__event=session.event)
    answers = [
        _scan_over_http(client, issued, session, text).json()
        for text in (ticket.secret, ticket.secret, "not-a-ticket")
    ]

    assert [answer["status"] for answer in answers] == [
        "admitted",
        "already_admitted",
        "unknown_ticket",
    ]
    for answer in answers:
        ScanResult.model_validate(answer)
        assert set(answer) == set(ScanResult.model_fields)
        if answer["attendee"] is not None:
            assert set(answer["attendee"]) == set(DoorAttendeeOut.model_fields)


@pytest.mark.parametrize("session_id", [0, -1, 2**63, 2**70])
def test_out_of_range_session_ids_are_404_not_500(client, issued, session_id):
    response = client.post(
        "/api/v1/checkin/scan",
        {"text": "x", "session_id": session_id, "nonce": str(uuid.uuid4())},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert response.status_code == 404
    assert not ScanAttempt.objects.exists()


def test_a_revoked_token_is_401_even_for_an_unknown_session(client, issued, session):
    from attendance.services.tokens import door_token_revoke

    ticket = TicketFactory(attendee__registration__event=session.event)
    assert _scan_over_http(client, issued, session, ticket.secret).status_code == 200
    door_token_revoke(door_token=issued.door_token, revoked_by=None)

    unknown = type("S", (), {"pk": 10**9})()
    assert _scan_over_http(client, issued, unknown, "x").status_code == 401


def test_a_nonce_replayed_from_another_door_call_answers_in_the_scan_shape(client, issued, session):
    nonce = str(uuid.uuid4())
    walk_in = client.post(
        "/api/v1/checkin/walk-in",
        {"session_id": session.pk, "nonce": nonce, "gender": "female", "age_band": "18-24"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )
    scan = client.post(
        "/api/v1/checkin/scan",
        {"text": "whatever", "session_id": session.pk, "nonce": nonce},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}",
    )

    assert walk_in.status_code == scan.status_code == 200
    assert "headcount" in walk_in.json()
    assert set(scan.json()) == set(ScanResult.model_fields)
    assert scan.json()["status"] == walk_in.json()["status"]
    assert Attendance.objects.count() == 1


def test_an_admission_undone_in_the_same_instant_lets_ours_in(token, session, ticket, monkeypatch):
    """The constraint skipped our row for an admission that is gone by the time we look: the
    offline sync (and re-entry) then insert once more instead of failing the whole batch."""
    from attendance.scan_reads import DoorTicket
    from attendance.services import scans

    calls = []
    real_insert_row = scans.insert_row

    def skipped_once(model, values, **kwargs):
        calls.append(model)
        if len(calls) == 1:
            return None  # as if a concurrent admission, undone since, had held the slot
        return real_insert_row(model, values, **kwargs)

    monkeypatch.setattr(scans, "insert_row", skipped_once)
    answer, admission = scans.admit(
        token=token,
        ticket=DoorTicket.from_model(ticket),
        session_id=session.pk,
        event_id=session.event_id,
        gate="",
        source=Attendance.Source.OFFLINE,
        now=DOOR_OPEN,
    )

    assert answer["status"] == "admitted" and len(calls) == 2
    assert Attendance.objects.get().pk == admission.id


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_the_scan_statements_are_prepared_on_postgresql(client, issued, session):
    if not settings.DB_PREPARED_STATEMENTS:
        pytest.skip("DB_PREPARED_STATEMENTS=0 (a transaction pool in front): nothing is prepared")
    ticket = TicketFactory(attendee__registration__event=session.event)
    assert _scan_over_http(client, issued, session, ticket.secret).status_code == 200

    prepared = _prepared_statements()

    assert any("attendance_doortoken_events" in statement for statement in prepared)
    assert any("INSERT INTO" in statement for statement in prepared)


@pytest.mark.postgres
def test_without_prepared_statements_a_scan_prepares_nothing(client, issued, session, settings):
    # What PgBouncer in transaction mode needs: a statement prepared on one server session would
    # be missing from the next one a transaction lands on.
    settings.DB_PREPARED_STATEMENTS = False
    ticket = TicketFactory(attendee__registration__event=session.event)
    before = _prepared_statements()

    assert _scan_over_http(client, issued, session, ticket.secret).json()["status"] == "admitted"
    assert _scan_over_http(client, issued, session, ticket.secret).json()["status"] == (
        "already_admitted"
    )

    assert _prepared_statements() == before


def test_an_offline_batch_reads_its_tickets_in_one_query(session, django_assert_num_queries):
    from attendance.scan_reads import door_tickets

    tickets = TicketFactory.create_batch(5, attendee__registration__event=session.event)
    tickets[0].sessions.add(session)

    with django_assert_num_queries(1):
        found = door_tickets([ticket.pk for ticket in tickets])

    assert sorted(found) == sorted(ticket.pk for ticket in tickets)
    assert [found[ticket.pk].has_session_restrictions for ticket in tickets] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert {found[ticket.pk].group_size for ticket in tickets} == {1}


def test_raw_rows_come_back_named(db):
    from core.fastsql import fetch_one_named

    row = fetch_one_named("SELECT 1 AS one, 'two' AS two", [])
    assert (row.one, row.two) == (1, "two")
    assert fetch_one_named("SELECT 1 AS one WHERE 1 = 0", []) is None
