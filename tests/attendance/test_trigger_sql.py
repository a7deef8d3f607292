"""The triggers and functions PostgreSQL runs are the ones attendance/tallies.py and
attendance/reach.py declare: the migrations hold copies of that SQL, and a copy that drifted from
the code (or a code change without its migration) fails here."""

import re

import pytest
from django.db import connection

from attendance import reach, tallies

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\$\$\n(.*?)\$\$", re.S)


# pg_trigger.tgtype bits (PostgreSQL's trigger.h).
ROW, BEFORE, INSERT, DELETE, UPDATE = 1, 2, 4, 8, 16
EVENTS = {"INSERT": INSERT, "DELETE": DELETE, "UPDATE": UPDATE}


def declared(trigger) -> tuple:
    event, _of, column = trigger.event.partition(" OF ")
    return (
        trigger.name,
        trigger.table,
        trigger.function,
        EVENTS[event] | (ROW if trigger.when else 0),
        trigger.old or None,
        trigger.new or None,
        column or None,
        bool(trigger.when),
    )


@pytest.mark.parametrize("module", [tallies, reach], ids=["tallies", "reach"])
def test_the_installed_triggers_are_the_declared_ones(module):
    names = [trigger.name for trigger in module.TRIGGERS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, c.relname, p.proname, t.tgtype, t.tgoldtable, t.tgnewtable,"
            " (SELECT string_agg(a.attname, ',') FROM pg_attribute a"
            "  WHERE a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr)),"
            " t.tgqual IS NOT NULL"
            " FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND t.tgname = ANY(%s)",
            [names],
        )
        installed = set(cursor.fetchall())
    assert installed == {declared(trigger) for trigger in module.TRIGGERS}


@pytest.mark.parametrize("module", [tallies, reach], ids=["tallies", "reach"])
def test_the_installed_functions_run_the_declared_bodies(module):
    declared = dict(FUNCTION.findall(module.INSTALL_SQL))
    assert len(declared) >= len({trigger.function for trigger in module.TRIGGERS})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)", [list(declared)]
        )
        installed = {name: source.lstrip("\n") for name, source in cursor.fetchall()}
    assert installed == declared
