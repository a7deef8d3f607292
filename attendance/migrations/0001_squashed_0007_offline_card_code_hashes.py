"""The attendance schema as 0001_initial to 0007_offline_card_code_hashes left it, in one step:
door settings and tokens, admissions, the scan log, sync conflicts and the offline pack's keys
and code hashes (tickets and participant cards). Databases that applied the old steps have them
recorded as this one (`replaces`)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('attendance', '0001_initial'),
        ('attendance', '0002_door_tokens_scan_log'),
        ('attendance', '0003_sync_conflicts'),
        ('attendance', '0004_fewer_indexes_on_door_writes'),
        ('attendance', '0005_offline_pack_keys'),
        ('attendance', '0006_doorsettings_known_walk_ins'),
        ('attendance', '0007_offline_card_code_hashes'),
    ]

    initial = True

    dependencies = [
        ('events', '0001_squashed_0004_programme_people_measures'),
        ('participants', '0001_squashed_0003_participantcard'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DoorSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('opens_minutes_before', models.PositiveIntegerField(default=60, verbose_name='check-in opens (minutes before the start)')),
                ('closes_minutes_after', models.PositiveIntegerField(default=60, verbose_name='check-in closes (minutes after the end)')),
                ('exit_scans_enabled', models.BooleanField(default=False, verbose_name='scan people out at the exit')),
                ('known_walk_ins', models.BooleanField(default=True, verbose_name='admit known participants without a ticket (participant card)')),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='door_settings', to='events.event')),
            ],
            options={
                'verbose_name': 'door settings',
                'verbose_name_plural': 'door settings',
            },
        ),
        migrations.CreateModel(
            name='DoorToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(help_text='Shown on every admission it records.', max_length=120, verbose_name='volunteer or device')),
                ('language', models.CharField(blank=True, choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], help_text="Leave empty to follow the scanner's language.", max_length=5, verbose_name='language of the answers')),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('token_prefix', models.CharField(editable=False, max_length=8, verbose_name='token starts with')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('events', models.ManyToManyField(related_name='door_tokens', to='events.event', verbose_name='events')),
            ],
            options={
                'verbose_name': 'door token',
                'verbose_name_plural': 'door tokens',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('scan', 'QR scan'), ('short_code', 'Short code'), ('lookup', 'Name lookup at the door'), ('walk_in', 'Walk-in'), ('class_tally', 'Class headcount'), ('paper', 'Paper list'), ('offline', 'Offline scan, synced')], max_length=20, verbose_name='source')),
                ('gender', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('undisclosed', 'Prefer not to say')], max_length=20, verbose_name='gender')),
                ('age_band', models.CharField(choices=[('0-4', '0–4'), ('5-11', '5–11'), ('12-17', '12–17'), ('18-24', '18–24'), ('25-59', '25–59'), ('60+', '60+')], max_length=10, verbose_name='age band')),
                ('profile', models.CharField(choices=[('migrant', 'Migrant'), ('refugee', 'Refugee / asylum seeker'), ('host', 'Host community'), ('undisclosed', 'Prefer not to say')], max_length=20, verbose_name='profile')),
                ('headcount', models.PositiveIntegerField(default=1, verbose_name='people')),
                ('gate', models.CharField(blank=True, max_length=60, verbose_name='gate')),
                ('recorded_at', models.DateTimeField(db_index=True, verbose_name='recorded at')),
                ('recorded_by_label', models.CharField(blank=True, max_length=120, verbose_name='recorded by')),
                ('voided_at', models.DateTimeField(blank=True, null=True)),
                ('void_reason', models.CharField(blank=True, max_length=300)),
                ('event', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='events.event')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('session', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='events.session')),
                ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='events.ticket')),
                ('voided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('door_token', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='attendance.doortoken')),
            ],
            options={
                'verbose_name': 'attendance',
                'verbose_name_plural': 'attendances',
                'ordering': ['-recorded_at'],
            },
        ),
        migrations.CreateModel(
            name='OfflinePackKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('salt', models.CharField(max_length=64)),
                ('iterations', models.PositiveIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.event')),
            ],
            options={
                'verbose_name': 'offline pack key',
                'verbose_name_plural': 'offline pack keys',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OfflineCodeHash',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('short_code', models.CharField(max_length=16)),
                ('code_hash', models.CharField(max_length=64)),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='events.ticket')),
                ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='code_hashes', to='attendance.offlinepackkey')),
            ],
        ),
        migrations.CreateModel(
            name='OfflineCardCodeHash',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64)),
                ('card', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participants.participantcard')),
                ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='card_code_hashes', to='attendance.offlinepackkey')),
            ],
        ),
        migrations.CreateModel(
            name='ScanAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('entry', 'Entry scan'), ('exit', 'Exit scan'), ('walk_in', 'Walk-in'), ('class_tally', 'Class headcount')], max_length=20, verbose_name='action')),
                ('status', models.CharField(choices=[('admitted', 'Admitted'), ('already_admitted', 'Already admitted'), ('unknown_ticket', 'Unknown ticket'), ('cancelled', 'Ticket not valid'), ('wrong_event', 'Ticket for another event'), ('wrong_session', 'Ticket for another session'), ('not_valid_today', 'Ticket not valid today'), ('session_not_open', 'Check-in not open'), ('not_allowed', 'Not allowed for this event'), ('exited', 'Left'), ('not_inside', 'Not inside'), ('recorded', 'Recorded')], max_length=20, verbose_name='status')),
                ('text', models.CharField(blank=True, max_length=64, verbose_name='scanned text')),
                ('gate', models.CharField(blank=True, max_length=60, verbose_name='gate')),
                ('nonce', models.UUIDField()),
                ('client_time', models.DateTimeField(blank=True, null=True, verbose_name='client time')),
                ('server_time', models.DateTimeField(db_index=True, verbose_name='server time')),
                ('response', models.JSONField(default=dict)),
                ('attendance', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='attendance.attendance')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='events.event')),
                ('session', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='scan_attempts', to='events.session')),
                ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='events.ticket')),
                ('token', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='attempts', to='attendance.doortoken')),
            ],
            options={
                'verbose_name': 'scan attempt',
                'verbose_name_plural': 'scan log',
                'ordering': ['-server_time', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SyncConflict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('double_admission', 'Admitted on another device too'), ('cancelled', 'Ticket cancelled after the last download'), ('reissued', 'Ticket re-issued after the last download'), ('card_revoked', 'Participant card revoked after the last download')], max_length=20, verbose_name='conflict')),
                ('device_id', models.CharField(blank=True, max_length=64, verbose_name='device')),
                ('device_time', models.DateTimeField(verbose_name='time on the device')),
                ('detected_at', models.DateTimeField(db_index=True, verbose_name='detected at')),
                ('attempt', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='sync_conflict', to='attendance.scanattempt')),
                ('kept_attendance', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='attendance.attendance')),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sync_conflicts', to='events.session')),
                ('ticket', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='events.ticket')),
                ('token', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sync_conflicts', to='attendance.doortoken')),
            ],
            options={
                'verbose_name': 'sync conflict',
                'verbose_name_plural': 'sync conflicts',
                'ordering': ['-detected_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['event', 'session'], name='attendance_event_session'),
        ),
        migrations.AddIndex(
            model_name='attendance',
            index=models.Index(fields=['session', 'recorded_at'], name='attendance_session_time'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(condition=models.Q(('ticket__isnull', False), ('voided_at__isnull', True)), fields=('ticket', 'session'), name='one_admission_per_ticket_per_session'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(('headcount__gt', 0)), name='attendance_headcount_positive'),
        ),
        migrations.AddConstraint(
            model_name='offlinecodehash',
            constraint=models.UniqueConstraint(fields=('key', 'ticket'), name='one_code_hash_per_key_ticket'),
        ),
        migrations.AddConstraint(
            model_name='offlinecardcodehash',
            constraint=models.UniqueConstraint(fields=('key', 'card'), name='one_code_hash_per_key_card'),
        ),
        migrations.AddIndex(
            model_name='scanattempt',
            index=models.Index(fields=['session', 'server_time'], name='scan_session_time'),
        ),
        migrations.AddIndex(
            model_name='scanattempt',
            index=models.Index(fields=['session', 'ticket', 'action'], name='scan_session_ticket'),
        ),
        migrations.AddConstraint(
            model_name='scanattempt',
            constraint=models.UniqueConstraint(fields=('token', 'nonce'), name='one_answer_per_token_nonce'),
        ),
    ]
