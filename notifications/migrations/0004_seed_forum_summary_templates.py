"""Seed the e-mail templates of the forum summary (FR/AR/EN). Only those new rows: the templates
seeded by 0002 may have been edited by organizers since, and are left alone."""

from django.db import migrations

from notifications.default_templates import DEFAULT_TEMPLATES

PURPOSE = "forum_summary"


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        if purpose != PURPOSE:
            continue
        MessageTemplate.objects.get_or_create(
            purpose=purpose,
            channel=channel,
            language=language,
            defaults={"subject": subject, "body": body},
        )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(purpose=PURPOSE).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_message_payload_forum_summary")]
    operations = [migrations.RunPython(seed, unseed)]
