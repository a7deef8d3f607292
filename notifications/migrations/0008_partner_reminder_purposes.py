"""Two purposes of messages to partners (the reminder to answer a forum's recommendations, the
forum follow-up report) and their shared texts. Existing rows are left alone."""

from django.db import migrations, models

from notifications.default_templates import DEFAULT_TEMPLATES

PURPOSES = ("partner_reminder", "forum_followup")


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        if purpose in PURPOSES:
            MessageTemplate.objects.get_or_create(
                organization=None,
                purpose=purpose,
                channel=channel,
                language=language,
                defaults={"subject": subject, "body": body},
            )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0007_receipts_provider_id_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='message',
            name='purpose',
            field=models.CharField(choices=[('confirmation', 'Registration confirmation'), ('reminder', 'Reminder'), ('rescheduled', 'Change notice'), ('cancellation', 'Cancellation notice'), ('thank_you', 'Thank-you and feedback'), ('missed_you', 'Sorry we missed you'), ('forum_summary', 'Forum summary for partners'), ('participant_card', 'Participant card link'), ('partner_reminder', 'Reminder to partners to answer'), ('forum_followup', 'Forum follow-up report for partners')], max_length=20, verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='messagetemplate',
            name='purpose',
            field=models.CharField(choices=[('confirmation', 'Registration confirmation'), ('reminder', 'Reminder'), ('rescheduled', 'Change notice'), ('cancellation', 'Cancellation notice'), ('thank_you', 'Thank-you and feedback'), ('missed_you', 'Sorry we missed you'), ('forum_summary', 'Forum summary for partners'), ('participant_card', 'Participant card link'), ('partner_reminder', 'Reminder to partners to answer'), ('forum_followup', 'Forum follow-up report for partners')], max_length=20, verbose_name='purpose'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
