"""The forum fixtures, shared with the privacy tests (a forum with participants' personal data)."""

from tests.forums.conftest import (  # noqa: F401
    closed_forum,
    forum,
    forum_proposals,
    partner_contact,
)
