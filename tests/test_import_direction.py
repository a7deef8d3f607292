"""Apps depend downwards only. Every Python file of every app is parsed (imports inside functions
count: a lazy import is still a dependency) and each import of another app is checked against
the layering below. `config` may import anything; tests and bench are exempt.

Apps that read another app's data do it through its public read module, never its models or
services: notifications, forums and assessments read attendance through `attendance.selectors`,
forums reads figures through `reporting.selectors` (and shares its one suppression rule), and
reporting reads knowledge checks' results through `assessments.selectors` and proposals' figures
through `proposals.selectors`."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ALLOWED = {
    "core": set(),
    "events": {"core"},
    "participants": {"core", "events"},
    "attendance": {"core", "events", "participants"},
    "assessments": {"core", "events", "participants", "attendance"},
    "proposals": {"core", "events", "participants", "attendance"},
    "reporting": {"core", "events", "participants", "attendance", "assessments", "proposals"},
    "notifications": {"core", "events", "participants", "attendance"},
    "forums": {
        "core",
        "events",
        "participants",
        "attendance",
        "assessments",
        "proposals",
        "reporting",
        "notifications",
    },
}
# What an app outside `attendance`/`reporting` may import of them.
PUBLIC = {
    "attendance": {"attendance.selectors"},
    "reporting": {"reporting.selectors", "reporting.suppression"},
    "assessments": {"assessments.selectors"},
    "proposals": {"proposals.selectors"},
}
# Apps held to PUBLIC when they import those apps, but reporting, attendance's read layer, which
# may read its models directly (it reads knowledge checks' results and proposals' figures through
# their selectors).
HELD_TO_PUBLIC = {"assessments", "proposals", "reporting", "notifications", "forums"}
NOT_HELD = {("reporting", "attendance")}
# Every app above proposals reads it through its selectors (its figures and lists).
HELD_TO_PROPOSALS_SELECTORS = {"reporting", "notifications", "forums"}
CHECKED = {*ALLOWED, "config"}


def _imports(path: Path):
    """(imported module, line) for every absolute import in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in CHECKED:  # `from attendance import selectors`
                for alias in node.names:
                    yield f"{node.module}.{alias.name}", node.lineno
            else:
                yield node.module, node.lineno


def _cross_app_imports(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        for module, line in _imports(path):
            target = module.split(".")[0]
            if target in CHECKED and target != app:
                yield path.relative_to(ROOT), line, module, target


def test_every_app_is_in_the_layering():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_apps_below_it(app):
    wrong = [
        f"{path}:{line} imports {module}"
        for path, line, module, target in _cross_app_imports(app)
        if target not in ALLOWED[app]
    ]
    assert wrong == []


@pytest.mark.parametrize("app", sorted(HELD_TO_PUBLIC))
def test_app_reads_attendance_and_reporting_through_their_public_reads(app):
    internal = [
        f"{path}:{line} imports {module}"
        for path, line, module, target in _cross_app_imports(app)
        if target in PUBLIC
        and (app, target) not in NOT_HELD
        and not any(
            module == public or module.startswith(public + ".") for public in PUBLIC[target]
        )
    ]
    assert internal == []


@pytest.mark.parametrize("app", sorted(HELD_TO_PROPOSALS_SELECTORS))
def test_app_reads_proposals_through_its_selectors(app):
    internal = [
        f"{path}:{line} imports {module}"
        for path, line, module, target in _cross_app_imports(app)
        if target == "proposals"
        and not (module == "proposals.selectors" or module.startswith("proposals.selectors."))
    ]
    assert internal == []
