"""The admin's event page in a real browser: its scripts are deferred (not holding the first
paint) and still all run, without an error; each autocomplete has a name, also in a session added
with "Add another"."""

import pytest

pytestmark = pytest.mark.browser

PAGE = "admin event change"


def test_scripts_are_deferred_and_run_without_an_error(open_page):
    with open_page(PAGE, "fr") as page:
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.reload(wait_until="networkidle")
        blocking = page.evaluate(
            """() => [...document.head.querySelectorAll('script[src]')]
                .filter((script) => !script.defer && !script.async).map((script) => script.src)"""
        )
        ran = page.evaluate(
            """() => ({
                catalog: typeof gettext === 'function',
                autocompletes: document.querySelectorAll('.select2-container').length,
                dateShortcuts: document.querySelectorAll('.datetimeshortcuts').length,
            })"""
        )
    # theme.js (Django's base template) stays blocking: it sets the light or dark theme before
    # the first paint, so the page does not flash.
    assert [src for src in blocking if "/admin/js/theme." not in src] == []
    assert errors == []
    assert ran["catalog"] and ran["autocompletes"] > 0 and ran["dateShortcuts"] > 0


def _autocomplete_names(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('select.admin-autocomplete')]
            .filter((select) => !select.name.includes('__prefix__'))
            .map((select) => {
                const shown = document.getElementById(`select2-${select.id}-container`);
                return shown ? shown.getAttribute('aria-label') || '' : 'no select2';
            })"""
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_each_autocomplete_is_named_also_in_an_added_session(open_page, language):
    with open_page(PAGE, language) as page:
        before = _autocomplete_names(page)
        page.locator("#sessions-group .add-row a").click()
        # The added row is named once the click's listeners have run (a timeout of 0 in the page);
        # never named, this wait times out and the test fails.
        page.wait_for_function(
            """(count) => {
                const selects = [...document.querySelectorAll('select.admin-autocomplete')]
                    .filter((select) => !select.name.includes('__prefix__'));
                const named = selects.filter((select) => document
                    .getElementById(`select2-${select.id}-container`)?.hasAttribute('aria-label'));
                return selects.length > count && named.length === selects.length;
            }""",
            arg=len(before),
            timeout=5000,
        )
        after = _autocomplete_names(page)
    assert len(after) == len(before) + 1
    assert all(name and name != "no select2" for name in after), after
