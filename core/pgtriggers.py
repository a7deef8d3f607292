"""Tables that PostgreSQL keeps in step by triggers (attendance's figure tallies and programme
reach): a trigger, its function and their DROP statements are declared here once, so that each
module lists only what fires when and what its functions do.

The SQL these build is copied into the migration that installs it (a migration must not change
when this code does), so a change here changes only what the next such migration copies."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    """An AFTER trigger on `table` calling `function()`: per statement, with the transition
    tables named `old` and `new` (either may be empty), or per row when `when` (a condition on
    OLD and NEW) is given."""

    name: str
    table: str
    event: str  # INSERT, UPDATE, DELETE, or "UPDATE OF column"
    function: str
    old: str = ""
    new: str = ""
    when: str = ""

    def create_sql(self) -> str:
        head = f"CREATE TRIGGER {self.name} AFTER {self.event} ON {self.table}\n"
        if self.when:
            return (
                f"{head}    FOR EACH ROW WHEN ({self.when})\n"
                f"    EXECUTE FUNCTION {self.function}();\n"
            )
        tables = [
            f"{kind} TABLE AS {name}"
            for kind, name in (("OLD", self.old), ("NEW", self.new))
            if name
        ]
        return (
            f"{head}    REFERENCING {' '.join(tables)}\n"
            f"    FOR EACH STATEMENT EXECUTE FUNCTION {self.function}();\n"
        )


def trigger_function(name: str, body: str) -> str:
    """A PL/pgSQL trigger function running `body` (statements ending in `;`); its result is
    ignored, as for every AFTER trigger."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN{body}    RETURN NULL;\nEND $$;\n"
    )


def create_triggers(triggers: Iterable[Trigger]) -> str:
    return "\n" + "".join(trigger.create_sql() for trigger in triggers)


def drop_triggers(triggers: Iterable[Trigger]) -> str:
    """DROP statements for the triggers, then for their functions (each once)."""
    triggers = list(triggers)
    functions = dict.fromkeys(trigger.function for trigger in triggers)
    lines = [f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table};" for trigger in triggers]
    lines += [f"DROP FUNCTION IF EXISTS {function}();" for function in functions]
    return "\n" + "\n".join(lines) + "\n"
