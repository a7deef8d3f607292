"""Counted messages for JavaScript that has no gettext catalog (the scanner, which must work
offline from one page): the server sends each plural form of the active language and which form
each count takes, worked out by gettext from the catalog itself, so the plural rule (six forms
in Arabic) is written nowhere else.

The table covers 0..199; above, the form is that of 100 + the last two digits, which holds for
the plural rules of every language served here (Arabic's depends on n % 100 from 100 on; French
and English use one form from 2 on)."""

from collections.abc import Callable

TABLE_SIZE = 200


def counted_label(message: Callable[[int], str]) -> dict:
    """`message(n)` is the ngettext call (literal strings, so that makemessages finds them);
    the result is JSON for the page: {"forms": [...], "index": [form of 0, of 1, ...]}."""
    forms: list[str] = []
    index = []
    for count in range(TABLE_SIZE):
        text = message(count)
        if text not in forms:
            forms.append(text)
        index.append(forms.index(text))
    return {"forms": forms, "index": index}
