"""The notifications schema as 0001_initial to 0007_seed_participant_card_templates left it, in
one step: the outbox, suppressions, feedback answers, notification settings and the editable
message templates, seeded with the built-in texts (FR/AR/EN, SMS and e-mail). Databases that
applied the old steps have them recorded as this one (`replaces`)."""

import django.core.validators
import django.db.models.deletion
import notifications.models
from django.db import migrations, models

from notifications.default_templates import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    """The shared texts (no organization) of every purpose, channel and language; an existing row
    is left alone, so that re-running never overwrites an organizer's edits."""
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (purpose, channel, language), (subject, body) in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            organization=None,
            purpose=purpose,
            channel=channel,
            language=language,
            defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):

    replaces = [
        ('notifications', '0001_initial'),
        ('notifications', '0002_seed_message_templates'),
        ('notifications', '0003_message_payload_forum_summary'),
        ('notifications', '0004_seed_forum_summary_templates'),
        ('notifications', '0005_messagetemplate_organization'),
        ('notifications', '0006_message_purpose_participant_card'),
        ('notifications', '0007_seed_participant_card_templates'),
    ]

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        ('events', '0001_squashed_0004_programme_people_measures'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventNotificationSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reminder_offsets', models.JSONField(blank=True, default=notifications.models.default_reminder_offsets, verbose_name='reminder offsets (minutes before each session)')),
                ('sms_enabled', models.BooleanField(default=True, verbose_name='send SMS')),
                ('email_enabled', models.BooleanField(default=True, verbose_name='send e-mails')),
                ('thank_you_enabled', models.BooleanField(default=True, verbose_name='thank attendees after the event')),
                ('missed_you_enabled', models.BooleanField(default=False, verbose_name="send a 'sorry we missed you' message to no-shows")),
                ('followups_scheduled_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_settings', to='events.event')),
            ],
            options={
                'verbose_name': 'event message settings',
                'verbose_name_plural': 'event message settings',
            },
        ),
        migrations.CreateModel(
            name='Suppression',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'E-mail')], max_length=10, verbose_name='channel')),
                ('recipient_hash', models.CharField(max_length=64)),
                ('source', models.CharField(choices=[('link', 'Opt-out link'), ('sms_stop', 'SMS reply STOP'), ('admin', 'Staff')], max_length=10, verbose_name='source')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'suppressed recipient',
                'verbose_name_plural': 'suppressed recipients',
                'constraints': [models.UniqueConstraint(fields=('channel', 'recipient_hash'), name='one_suppression_per_recipient')],
            },
        ),
        migrations.CreateModel(
            name='FeedbackAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ticket_digest', models.CharField(max_length=64, unique=True)),
                ('satisfaction', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='satisfaction')),
                ('useful', models.TextField(blank=True, max_length=2000, verbose_name='what was useful')),
                ('suggestions', models.TextField(blank=True, max_length=2000, verbose_name='suggestions')),
                ('language', models.CharField(choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], max_length=5)),
                ('submitted_on', models.DateField(auto_now_add=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_answers', to='events.event')),
            ],
            options={
                'verbose_name': 'feedback answer',
                'verbose_name_plural': 'feedback answers',
                'ordering': ['-submitted_on', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('satisfaction__gte', 1), ('satisfaction__lte', 5)), name='feedback_satisfaction_1_to_5')],
            },
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'E-mail')], max_length=10, verbose_name='channel')),
                ('recipient', models.CharField(max_length=254, verbose_name='recipient')),
                ('recipient_hash', models.CharField(db_index=True, max_length=64)),
                ('language', models.CharField(choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], max_length=5, verbose_name='language')),
                ('purpose', models.CharField(choices=[('confirmation', 'Registration confirmation'), ('reminder', 'Reminder'), ('rescheduled', 'Change notice'), ('cancellation', 'Cancellation notice'), ('thank_you', 'Thank-you and feedback'), ('missed_you', 'Sorry we missed you'), ('forum_summary', 'Forum summary for partners'), ('participant_card', 'Participant card link')], max_length=20, verbose_name='purpose')),
                ('subject', models.CharField(blank=True, max_length=255, verbose_name='subject')),
                ('body', models.TextField(verbose_name='text')),
                ('idempotency_key', models.CharField(max_length=200, unique=True)),
                ('offset_minutes', models.PositiveIntegerField(blank=True, null=True)),
                ('payload', models.JSONField(blank=True, default=dict)),
                ('scheduled_at', models.DateTimeField(verbose_name='scheduled for')),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='scheduled', max_length=20, verbose_name='status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('claim_token', models.CharField(blank=True, max_length=32)),
                ('leased_until', models.DateTimeField(blank=True, null=True)),
                ('provider_id', models.CharField(blank=True, max_length=200, verbose_name='provider id')),
                ('last_error', models.CharField(blank=True, max_length=500, verbose_name='last error')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='events.event')),
                ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='events.registration')),
                ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='events.session')),
                ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='events.ticket')),
            ],
            options={
                'verbose_name': 'message',
                'verbose_name_plural': 'messages',
                'ordering': ['scheduled_at', 'id'],
                'indexes': [models.Index(fields=['status', 'scheduled_at'], name='message_due'), models.Index(fields=['event', 'status', 'channel'], name='message_event_status')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), ('sent_at__isnull', False), _connector='OR'), name='message_sent_has_sent_at'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'sending'), _negated=True), ('leased_until__isnull', False), _connector='OR'), name='message_sending_has_lease')],
            },
        ),
        migrations.CreateModel(
            name='MessageTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('confirmation', 'Registration confirmation'), ('reminder', 'Reminder'), ('rescheduled', 'Change notice'), ('cancellation', 'Cancellation notice'), ('thank_you', 'Thank-you and feedback'), ('missed_you', 'Sorry we missed you'), ('forum_summary', 'Forum summary for partners'), ('participant_card', 'Participant card link')], max_length=20, verbose_name='purpose')),
                ('channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'E-mail')], max_length=10, verbose_name='channel')),
                ('language', models.CharField(choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], max_length=5, verbose_name='language')),
                ('subject', models.CharField(blank=True, max_length=200, verbose_name='subject (e-mail only)')),
                ('body', models.TextField(verbose_name='text')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('organization', models.ForeignKey(blank=True, help_text='Empty: the text every organisation uses (administrators only).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='message_templates', to='core.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'message template',
                'verbose_name_plural': 'message templates',
                'ordering': ['purpose', 'channel', 'language'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('organization__isnull', True)), fields=('purpose', 'channel', 'language'), name='one_template_per_purpose_channel_language', violation_error_message='There is already a shared text for this purpose, channel and language.'), models.UniqueConstraint(condition=models.Q(('organization__isnull', False)), fields=('organization', 'purpose', 'channel', 'language'), name='one_override_per_organization_purpose_channel_language', violation_error_message='Your organisation already has a text for this purpose, channel and language.')],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
