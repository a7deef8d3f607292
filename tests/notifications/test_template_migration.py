"""The Arabic forum-summary e-mail's new count wording reaches databases seeded with the old
text, and never overwrites a text an administrator changed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.default_templates import DEFAULT_TEMPLATES, EMAIL

pytestmark = pytest.mark.django_db(transaction=True)
SEEDED = ("notifications", "0001_squashed_0007_seed_participant_card_templates")
OLD = "{{ recommendation_count }} توصية معتمدة"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _platform_row(apps):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    return MessageTemplate.objects.get(
        organization=None, purpose="forum_summary", channel=EMAIL, language="ar"
    )


def _seeded_with(body: str):
    """The database at the seeding step, its platform row holding `body` (a transactional test
    empties the tables after itself, so the row is written here rather than expected)."""
    executor = _migrate([SEEDED])
    MessageTemplate = executor.loader.project_state([SEEDED]).apps.get_model(
        "notifications", "MessageTemplate"
    )
    MessageTemplate.objects.update_or_create(
        organization=None,
        purpose="forum_summary",
        channel=EMAIL,
        language="ar",
        defaults={"subject": "خلاصة", "body": body},
    )


def _latest_body() -> str:
    executor = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    return _platform_row(executor.loader.project_state().apps).body


def test_the_old_built_in_wording_is_replaced_by_the_new_one():
    _, new_body = DEFAULT_TEMPLATES[("forum_summary", EMAIL, "ar")]
    old_body = new_body.replace(
        "عدد التوصيات المعتمدة {{ recommendation_count }}{% if own_count %}، وعدد الموجهة منها إلى "
        "مؤسستكم {{ own_count }} وتظهر",
        OLD + "{% if own_count %}، منها {{ own_count }} موجهة إلى مؤسستكم وتظهر",
    )
    assert OLD in old_body
    _seeded_with(old_body)

    assert _latest_body() == new_body


def test_an_administrators_own_text_is_left_alone():
    _seeded_with("نص خاص بالمشرف: {{ recommendation_count }}")

    assert _latest_body() == "نص خاص بالمشرف: {{ recommendation_count }}"
