"""Plain SQL for the few hot paths where the ORM's own work dominates: the door scan only.

Raw SQL is allowed on the scan path (authenticating the door token, the scan's read, its
admission and answer writes), because there it was measured to matter: compiling and running a
one-table ORM query costs about 0.5 ms of Python, the same statement through a cursor about
0.15 ms, and a scan needs a handful of them while a volunteer waits (bench/RESULTS.md). The ORM
is the rule everywhere else; a new raw statement needs a measurement in bench/RESULTS.md first.

Rows that carry more than one value come back named (fetch_one_named), so callers read columns
by name, never by position.

The helpers stay portable (PostgreSQL in production, SQLite for `make run`): table and column
names come from the models' metadata, and values go through each field's own conversion, so a
datetime or UUID is stored exactly as the ORM would store it."""

import datetime
import time
from collections import namedtuple
from functools import cache

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def fetch_one(sql: str, params: list) -> tuple | None:
    """The first row, as a plain tuple (for a single value, or a model's from_db())."""
    return _fetch_one(sql, params, named=False)


def fetch_one_named(sql: str, params: list) -> tuple | None:
    """The first row as a named tuple: fields by their column names (alias every expression)."""
    return _fetch_one(sql, params, named=True)


# One named-tuple class per statement, built from the cursor's description the first time: the
# statements are a handful of fixed strings, and a scan then pays one tuple construction.
_ROW_CLASSES: dict[str, type] = {}


def _named(sql: str, cursor, row: tuple | None) -> tuple | None:
    if row is None:
        return None
    row_class = _ROW_CLASSES.get(sql)
    if row_class is None:
        names = [column[0] for column in cursor.description]
        row_class = _ROW_CLASSES[sql] = namedtuple("Row", names)
    return row_class._make(row)


def _fetch_one(sql: str, params: list, *, named: bool) -> tuple | None:
    if connection.vendor == "postgresql" and settings.DB_PREPARED_STATEMENTS:
        return _fetch_one_prepared(sql, params, named=named)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return _named(sql, cursor, row) if named else row


def _fetch_one_prepared(sql: str, params: list, *, named: bool) -> tuple | None:
    """PostgreSQL plans a prepared statement once per connection instead of on every call (half
    a millisecond for the scan's read). Needs a cursor that binds parameters server-side, which
    Django's do not: Django's error translation, broken-transaction and thread checks and query
    log are applied by hand; its execute wrappers are not (nothing here uses them)."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
        if named:
            row = _named(sql, cursor, row)
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return row


def aware(value) -> datetime.datetime | None:
    """A datetime read by plain SQL as the ORM would return it. SQLite gives back naive UTC
    datetimes (or text from an expression), PostgreSQL aware ones."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


@cache
def _insert_sql(model: type[Model], names: tuple[str, ...], ignore_conflicts: bool) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    # Without a conflict target both databases skip a row any unique constraint refuses (partial
    # ones included); check constraints still raise.
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    # Names from the model's metadata, values bound as parameters.
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){conflict} RETURNING {pk}"  # noqa: S608


def insert_row(model: type[Model], values: dict, *, ignore_conflicts: bool = False) -> int | None:
    """INSERT one row of `model` (field name -> value) and return its primary key; None when
    `ignore_conflicts` and a unique constraint already holds such a row. Model defaults, save()
    and signals do not apply: give every value the row needs."""
    row = fetch_one(
        _insert_sql(model, tuple(values), ignore_conflicts), _prepared_params(model, values)
    )
    return row[0] if row else None


def insert_row_and_child(
    model: type[Model],
    values: dict,
    child_model: type[Model],
    child_values: dict,
    *,
    link: str,
) -> int | None:
    """INSERT a row of `model` unless a unique constraint already holds one, and only then a row
    of `child_model` whose `link` field points to it; both or neither. Returns the first row's
    key, or None when it was skipped (then nothing was written).

    On PostgreSQL this is one statement (a data-modifying WITH), atomic without BEGIN/COMMIT round
    trips; elsewhere two INSERTs in a transaction."""
    child_values = {name: value for name, value in child_values.items() if name != link}
    if connection.vendor != "postgresql":
        with transaction.atomic():
            key = insert_row(model, values, ignore_conflicts=True)
            if key is not None:
                insert_row(child_model, {**child_values, link: key})
            return key
    sql = _insert_with_child_sql(model, tuple(values), child_model, tuple(child_values), link)
    params = _prepared_params(model, values) + _prepared_params(child_model, child_values)
    row = fetch_one(sql, params)
    return row[0] if row else None


def _prepared_params(model: type[Model], values: dict) -> list:
    return [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    ]


@cache
def _insert_with_child_sql(
    model: type[Model],
    names: tuple[str, ...],
    child_model: type[Model],
    child_names: tuple[str, ...],
    link: str,
) -> str:
    quote = connection.ops.quote_name
    child_fields = [child_model._meta.get_field(name) for name in child_names]
    columns = ", ".join(quote(field.column) for field in child_fields)
    # Typed: in a SELECT list PostgreSQL would otherwise read an untyped parameter (a NULL
    # above all) as text, which a bigint or uuid column refuses. A cast to varchar(n) cuts a
    # longer string where an INSERT would refuse it: callers pass values already cut to size.
    casts = ", ".join(f"CAST(%s AS {field.cast_db_type(connection)})" for field in child_fields)
    link_column = quote(child_model._meta.get_field(link).column)
    return (
        f"WITH parent AS ({_insert_sql(model, names, True)}) "  # noqa: S608 (names from metadata)
        f"INSERT INTO {quote(child_model._meta.db_table)} ({columns}, {link_column}) "
        f"SELECT {casts}, parent.{quote(model._meta.pk.column)} FROM parent "
        f"RETURNING {link_column}"
    )
