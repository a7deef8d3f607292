"""The partner reminder's SMS texts (reminders now go to a contact's phone too), seeded so that
administrators can edit them like the others. Existing rows are left alone."""

from django.db import migrations

from notifications.default_templates import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        if purpose == "partner_reminder" and channel == "sms":
            MessageTemplate.objects.get_or_create(
                organization=None,
                purpose=purpose,
                channel=channel,
                language=language,
                defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0009_purposes_with_partner_reminders")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
