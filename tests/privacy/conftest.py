"""The forum fixtures, shared with the privacy tests (a forum with participants' personal data)."""

from tests.forums.conftest import closed_forum, forum, partner_contact  # noqa: F401
