"""The language a visitor picked with the switcher of `core/base.html` (Django's `set_language`
view, which stores it in the language cookie). Pages that know a person's own language (a
participant's registration, a partner contact's preference) use it only until the visitor picks
another one: the pick must stay across pages and reloads."""

from django.conf import settings
from django.utils import translation


def switched_language(request) -> str | None:
    """The supported language stored by the switcher, or None when the visitor never switched."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None
