"""The partner reminder's new line (participants' proposals waiting for an answer) reaches
databases seeded with the earlier built-in text, in each language, and never an administrator's
own text; migrating back removes it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.default_templates import DEFAULT_TEMPLATES, EMAIL

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = ("notifications", "0009_purposes_with_partner_reminders")
AFTER = ("notifications", "0010_partner_reminder_proposal_count")
LANGUAGES = ("fr", "ar", "en")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps.get_model("notifications", "MessageTemplate")


@pytest.fixture(autouse=True)
def _back_to_the_latest_state():
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _built_in(language: str) -> str:
    return DEFAULT_TEMPLATES[("partner_reminder", EMAIL, language)][1]


def _earlier(body: str) -> str:
    """The built-in text as it was before the proposals' line."""
    start = body.index("{% if proposal_count %}")
    end = body.index("{% endif %}", start) + len("{% endif %}")
    return body[:start] + body[end:]


def _store(model, language: str, body: str) -> None:
    """The platform row as a database seeded earlier holds it (a transactional test empties
    the tables after itself, so the row is written here rather than expected)."""
    model.objects.update_or_create(
        organization=None,
        purpose="partner_reminder",
        channel=EMAIL,
        language=language,
        defaults={"subject": "Rappel", "body": body},
    )


def _stored(model, language: str) -> str:
    return model.objects.get(
        organization=None, purpose="partner_reminder", channel=EMAIL, language=language
    ).body


def test_the_built_in_texts_get_the_proposals_line_and_lose_it_going_back():
    model = _migrate([BEFORE])
    for language in LANGUAGES:
        assert "proposal_count" not in _earlier(_built_in(language))
        _store(model, language, _earlier(_built_in(language)))
    model = _migrate([AFTER])
    for language in LANGUAGES:
        assert _stored(model, language) == _built_in(language)
    model = _migrate([BEFORE])
    for language in LANGUAGES:
        assert _stored(model, language) == _earlier(_built_in(language))


def test_an_administrators_own_text_is_left_alone():
    model = _migrate([BEFORE])
    _store(model, "fr", "Texte à nous : {{ answer_count }}")
    model = _migrate([AFTER])
    assert _stored(model, "fr") == "Texte à nous : {{ answer_count }}"
