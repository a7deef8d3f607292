"""axe-core finds no violation on any page a participant, a volunteer, an organizer or a partner
sees, in French and in Arabic (right to left), at phone size. axe-core is the npm package pinned in
package.json, injected into the page from node_modules."""

from pathlib import Path

import pytest
from django.conf import settings

from bench.pages import DEMO_PAGE_NAMES

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Rules that a page breaks only in markup we do not write, named per page so that nothing else is
# ever excused by them.
UPSTREAM_RULES: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make assets)")
    return AXE.read_text()


def _violations(page, axe_source, disabled: set[str]) -> list[str]:
    page.evaluate(axe_source)
    rules = {rule: {"enabled": False} for rule in disabled}
    found = page.evaluate("async (rules) => (await axe.run(document, {rules})).violations", rules)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + " | ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in found
    ]


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("name", DEMO_PAGE_NAMES)
def test_no_axe_violation_on_the_page(open_page, axe_source, name, language):
    with open_page(name, language) as page:
        problems = _violations(page, axe_source, UPSTREAM_RULES.get(name, set()))
    assert problems == [], "\n".join(problems)
