"""The triggers and functions PostgreSQL runs are the ones attendance/tallies.py and
attendance/reach.py declare: the migrations hold copies of that SQL, and a copy that drifted from
the code (or a code change without its migration) fails here."""

import re

import pytest
from django.db import connection

from attendance import reach, tallies

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\$\$\n(.*?)\$\$", re.S)


@pytest.mark.parametrize("module", [tallies, reach], ids=["tallies", "reach"])
def test_the_installed_triggers_are_the_declared_ones(module):
    names = [trigger.name for trigger in module.TRIGGERS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, c.relname, p.proname FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND t.tgname = ANY(%s)",
            [names],
        )
        installed = set(cursor.fetchall())
    assert installed == {(t.name, t.table, t.function) for t in module.TRIGGERS}


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
