"""Seed the editable message templates with the built-in texts (FR/AR/EN, SMS and e-mail).
Existing rows are left alone, so that re-running never overwrites an organizer's edits."""

from django.db import migrations

from notifications.default_templates import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            purpose=purpose, channel=channel, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
