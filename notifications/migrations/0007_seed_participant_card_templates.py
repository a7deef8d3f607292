"""Seed the platform texts of the participant card message (FR/AR/EN). Only those new rows: the
texts seeded earlier may have been edited since, and are left alone."""

from django.db import migrations

from notifications.default_templates import DEFAULT_TEMPLATES

PURPOSE = "participant_card"


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        if purpose != PURPOSE:
            continue
        MessageTemplate.objects.get_or_create(
            organization=None,
            purpose=purpose,
            channel=channel,
            language=language,
            defaults={"subject": subject, "body": body},
        )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(
        organization=None, purpose=PURPOSE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_message_purpose_participant_card")]
    operations = [migrations.RunPython(seed, unseed)]
