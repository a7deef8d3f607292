"""The events schema as 0001_initial to 0004_programme_people_measures left it, in one step:
programmes, targets, venues with their organization, events, sessions, registrations (the door
as a source), tickets and the programme's people measures. Databases that applied the old steps
have them recorded as this one (`replaces`)."""

import django.core.validators
import django.db.models.deletion
import events.models.events
import events.models.registrations
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('events', '0001_initial'),
        ('events', '0002_venue_organization'),
        ('events', '0003_registration_source_door'),
        ('events', '0004_programme_people_measures'),
    ]

    initial = True

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('end_date', models.DateField(verbose_name='end date')),
                ('budget', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='budget')),
                ('currency', models.CharField(default='MAD', max_length=3, verbose_name='currency')),
                ('retention_days', models.PositiveIntegerField(default=180, verbose_name='personal data retention (days after an event ends)')),
                ('small_number_threshold', models.PositiveSmallIntegerField(default=5, verbose_name='smallest figure shown to partners')),
                ('regular_attendance_percent', models.DecimalField(decimal_places=2, default=Decimal('75'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.01')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name="regular attendance: at least (% of an event's sessions)")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('donors', models.ManyToManyField(blank=True, related_name='funded_programmes', to='core.organization', verbose_name='donors')),
                ('lead_organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_programmes', to='core.organization', verbose_name='lead organisation')),
                ('partners', models.ManyToManyField(blank=True, related_name='partner_programmes', to='core.organization', verbose_name='partners')),
            ],
            options={
                'verbose_name': 'programme',
                'verbose_name_plural': 'programmes',
                'ordering': ['-start_date', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('african_fair', 'African fair'), ('school_campaign', 'School cultural-diversity campaign'), ('conviviality_meeting', 'Conviviality meeting'), ('forum', 'Forum'), ('awareness_session', 'Awareness session'), ('training', 'Training'), ('other', 'Other')], max_length=30, verbose_name='kind')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('closed', 'Closed'), ('cancelled', 'Cancelled')], default='draft', max_length=20, verbose_name='status')),
                ('title', models.CharField(max_length=200, verbose_name='title (French)')),
                ('title_ar', models.CharField(blank=True, max_length=200, verbose_name='title (Arabic)')),
                ('title_en', models.CharField(blank=True, max_length=200, verbose_name='title (English)')),
                ('description_fr', models.TextField(blank=True, verbose_name='description (French)')),
                ('description_ar', models.TextField(blank=True, verbose_name='description (Arabic)')),
                ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                ('start_date', models.DateField(verbose_name='start date')),
                ('end_date', models.DateField(verbose_name='end date')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('registration_opens_at', models.DateTimeField(blank=True, null=True, verbose_name='registration opens')),
                ('registration_closes_at', models.DateTimeField(blank=True, null=True, verbose_name='registration closes')),
                ('languages', models.JSONField(default=events.models.events.default_languages, verbose_name='languages')),
                ('ask_nationality', models.BooleanField(default=False, verbose_name='ask nationality at registration')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('co_organizers', models.ManyToManyField(blank=True, related_name='co_organized_events', to='core.organization', verbose_name='co-organisers')),
                ('organizer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organized_events', to='core.organization', verbose_name='organizer')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='events.programme', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'event',
                'verbose_name_plural': 'events',
                'ordering': ['-start_date', 'title'],
            },
        ),
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('individual', 'Individual'), ('household', 'Household / family'), ('group', 'Group or class')], default='individual', max_length=20, verbose_name='kind')),
                ('contact_name', models.CharField(blank=True, max_length=100, verbose_name='first name or nickname')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='phone (E.164)')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('language', models.CharField(choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], default='fr', max_length=5, verbose_name='preferred language')),
                ('consent_contact', models.BooleanField(default=False, verbose_name='agrees to be contacted')),
                ('consent_recorded_at', models.DateTimeField(blank=True, null=True)),
                ('consent_wording_version', models.CharField(blank=True, max_length=20)),
                ('source', models.CharField(choices=[('web', 'Public form'), ('admin', 'Admin'), ('api', 'API'), ('import', 'CSV import'), ('door', 'At the door (participant card)')], default='web', max_length=10)),
                ('access_token', models.CharField(default=events.models.registrations.new_access_token, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('personal_data_purged_at', models.DateTimeField(blank=True, null=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='events.event')),
            ],
            options={
                'verbose_name': 'registration',
                'verbose_name_plural': 'registrations',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Attendee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_name', models.CharField(blank=True, max_length=100, verbose_name='first name or nickname')),
                ('gender', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('undisclosed', 'Prefer not to say')], max_length=20, verbose_name='gender')),
                ('age_band', models.CharField(choices=[('0-4', '0–4'), ('5-11', '5–11'), ('12-17', '12–17'), ('18-24', '18–24'), ('25-59', '25–59'), ('60+', '60+')], max_length=10, verbose_name='age band')),
                ('profile', models.CharField(choices=[('migrant', 'Migrant'), ('refugee', 'Refugee / asylum seeker'), ('host', 'Host community'), ('undisclosed', 'Prefer not to say')], default='undisclosed', max_length=20, verbose_name='profile')),
                ('nationality', models.CharField(blank=True, max_length=60, verbose_name='nationality')),
                ('is_contact', models.BooleanField(default=False)),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='events.registration')),
            ],
            options={
                'verbose_name': 'attendee',
                'verbose_name_plural': 'attendees',
                'ordering': ['registration', '-is_contact', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Session',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(blank=True, max_length=200, verbose_name='title')),
                ('date', models.DateField(verbose_name='date')),
                ('start_time', models.TimeField(verbose_name='starts at')),
                ('end_time', models.TimeField(verbose_name='ends at')),
                ('school_name', models.CharField(blank=True, max_length=200, verbose_name='school')),
                ('class_level', models.CharField(blank=True, max_length=100, verbose_name='class level')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='events.event')),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'ordering': ['date', 'start_time', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('people_reached', 'people reached'), ('registered_people', 'distinct registered people'), ('attendances', 'attendances'), ('returning_people', 'returning people (two or more events)'), ('regular_people', 'people attending regularly'), ('first_time_people', 'first-time people'), ('children_reached', 'children reached'), ('events_held', 'events held'), ('sessions_held', 'sessions held')], max_length=30, verbose_name='measure')),
                ('value', models.PositiveIntegerField(verbose_name='target value')),
                ('share_field', models.CharField(blank=True, choices=[('gender', 'gender'), ('age_band', 'age band'), ('profile', 'profile')], max_length=20, verbose_name='share of')),
                ('share_value', models.CharField(blank=True, max_length=20, verbose_name='value')),
                ('share_min_percent', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='at least (%)')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='events.programme')),
            ],
            options={
                'verbose_name': 'target',
                'verbose_name_plural': 'targets',
                'ordering': ['programme', 'measure', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Ticket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret', models.CharField(max_length=64, unique=True)),
                ('short_code', models.CharField(max_length=8, unique=True)),
                ('status', models.CharField(choices=[('valid', 'Valid'), ('waitlisted', 'On the waiting list'), ('cancelled', 'Cancelled')], default='valid', max_length=20)),
                ('issued_at', models.DateTimeField(auto_now_add=True)),
                ('reissued_at', models.DateTimeField(blank=True, null=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('attendee', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='ticket', to='events.attendee')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='events.event')),
                ('sessions', models.ManyToManyField(blank=True, help_text='Leave empty for a ticket valid for every session of the event.', related_name='restricted_tickets', to='events.session')),
            ],
            options={
                'verbose_name': 'ticket',
                'verbose_name_plural': 'tickets',
                'ordering': ['issued_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Venue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('school', 'School'), ('community_hall', 'Community hall'), ('public_space', 'Park / public space'), ('cultural_centre', 'Cultural centre'), ('institution', 'Institution'), ('other', 'Other')], default='other', max_length=30, verbose_name='kind')),
                ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                ('city', models.CharField(default='Oujda', max_length=100, verbose_name='city')),
                ('province', models.CharField(default='Oujda-Angad', max_length=100, verbose_name='province / prefecture')),
                ('region', models.CharField(default='Oriental', max_length=100, verbose_name='region')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('accessibility_notes', models.TextField(blank=True, verbose_name='accessibility notes')),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='venues', to='core.organization', verbose_name='added by')),
            ],
            options={
                'verbose_name': 'venue',
                'verbose_name_plural': 'venues',
                'ordering': ['city', 'name'],
            },
        ),
        migrations.AddField(
            model_name='session',
            name='venue',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='events.venue', verbose_name='venue'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='programme_ends_after_start', violation_error_message='A programme cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('regular_attendance_percent__gt', 0), ('regular_attendance_percent__lte', 100)), name='programme_regular_percent_between_0_and_100', violation_error_message='A share must be above 0% and at most 100%.'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('budget__isnull', True), ('budget__gte', 0), _connector='OR'), name='programme_budget_not_negative', violation_error_message='The budget cannot be negative.'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['programme', 'start_date'], name='events_even_program_ec7560_idx'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__gte', models.F('start_date'))), name='event_ends_after_start', violation_error_message='An event cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('registration_opens_at__isnull', True), ('registration_closes_at__isnull', True), ('registration_closes_at__gt', models.F('registration_opens_at')), _connector='OR'), name='event_registration_window_ordered', violation_error_message='Registration must close after it opens.'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gt', 0), _connector='OR'), name='event_capacity_positive', violation_error_message='Capacity must be above zero.'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.CheckConstraint(condition=models.Q(('value__gt', 0)), name='target_value_positive', violation_error_message='A target must be above zero.'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.CheckConstraint(condition=models.Q(('share_min_percent__isnull', True), models.Q(('share_min_percent__gt', 0), ('share_min_percent__lte', 100)), _connector='OR'), name='target_share_between_0_and_100', violation_error_message='A share must be above 0% and at most 100%.'),
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('share_field', ''), ('share_min_percent__isnull', True), ('share_value', '')), models.Q(models.Q(('share_field', ''), _negated=True), models.Q(('share_value', ''), _negated=True), ('share_min_percent__isnull', False)), _connector='OR'), name='target_share_complete_or_absent', violation_error_message='A demographic share needs its field, its value and its minimum percentage.'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['event', 'status'], name='events_tick_event_i_d6e4cb_idx'),
        ),
        migrations.AddConstraint(
            model_name='ticket',
            constraint=models.CheckConstraint(condition=models.Q(('secret', ''), _negated=True), name='ticket_secret_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='venue',
            constraint=models.UniqueConstraint(fields=('name', 'city'), name='unique_venue_per_city'),
        ),
        migrations.AddConstraint(
            model_name='venue',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gt', 0), _connector='OR'), name='venue_capacity_positive', violation_error_message='Capacity must be above zero.'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.CheckConstraint(condition=models.Q(('end_time__gt', models.F('start_time'))), name='session_ends_after_start', violation_error_message='A session must end after it starts.'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gt', 0), _connector='OR'), name='session_capacity_positive', violation_error_message='Capacity must be above zero.'),
        ),
    ]
