"""The participants schema as 0001_initial to 0003_participantcard left it, in one step:
participants, match keys, links, duplicate candidates, merges and cards. Databases that applied
the old steps have them recorded as this one (`replaces`).

Then every person registered before participants existed gets linked, with the same exact-match
rule as new registrations (phone, normalised first name and age band), so figures count people
from the first day. Possible duplicates among them are not searched here: a migration must not
depend on the service code of today."""

import hashlib
import hmac
import secrets

import django.db.models.deletion
import participants.models
from django.conf import settings
from django.db import migrations, models

from participants.names import name_normalise


def _keyed(secret: bytes, *parts: str) -> str:
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _channel(registration) -> str:
    if not registration.consent_contact:
        return "none"
    if registration.phone:
        return "sms"
    return "email" if registration.email else "none"


def link_existing(apps, schema_editor):
    Attendee = apps.get_model("events", "Attendee")
    MatchKey = apps.get_model("participants", "MatchKey")
    Participant = apps.get_model("participants", "Participant")
    ParticipantLink = apps.get_model("participants", "ParticipantLink")
    secrets_by_org: dict[int, bytes] = {}
    known: dict[tuple[int, str], int] = {}
    attendees = Attendee.objects.filter(participant_link__isnull=True).select_related(
        "registration__event"
    )
    for attendee in attendees.order_by("registration_id", "pk").iterator(chunk_size=2000):
        registration = attendee.registration
        org_id = registration.event.organizer_id
        if org_id not in secrets_by_org:
            key = MatchKey.objects.filter(organization_id=org_id).first()
            if key is None:
                key = MatchKey.objects.create(organization_id=org_id, secret=secrets.token_bytes(32))
            secrets_by_org[org_id] = bytes(key.secret)
        secret = secrets_by_org[org_id]
        purged = registration.personal_data_purged_at is not None
        phone, name = registration.phone, name_normalise(attendee.first_name)
        match_hash = (
            _keyed(secret, "person", phone, name, attendee.age_band)
            if phone and name and not purged
            else None
        )
        participant_id = known.get((org_id, match_hash)) if match_hash else None
        if participant_id is None:
            participant = Participant.objects.create(
                organization_id=org_id,
                gender=attendee.gender,
                age_band=attendee.age_band,
                profile=attendee.profile,
                preferred_language=registration.language,
                preferred_channel=_channel(registration),
                match_hash=match_hash,
                phone_hash=_keyed(secret, "phone", phone) if phone and not purged else "",
                name_hash=_keyed(secret, "name", name) if name and not purged else "",
                personal_data_purged_at=registration.personal_data_purged_at,
            )
            participant_id = participant.pk
            if match_hash:
                known[(org_id, match_hash)] = participant_id
        ParticipantLink.objects.create(attendee_id=attendee.pk, participant_id=participant_id)


class Migration(migrations.Migration):

    replaces = [
        ('participants', '0001_initial'),
        ('participants', '0002_link_existing_attendees'),
        ('participants', '0003_participantcard'),
    ]

    initial = True

    dependencies = [
        ('core', '0001_initial'),
        ('events', '0001_squashed_0004_programme_people_measures'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MatchKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret', models.BinaryField(default=participants.models.new_match_secret)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='participant_match_key', to='core.organization')),
            ],
            options={
                'verbose_name': 'matching key',
                'verbose_name_plural': 'matching keys',
            },
        ),
        migrations.CreateModel(
            name='Participant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gender', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('undisclosed', 'Prefer not to say')], max_length=20, verbose_name='gender')),
                ('age_band', models.CharField(choices=[('0-4', '0–4'), ('5-11', '5–11'), ('12-17', '12–17'), ('18-24', '18–24'), ('25-59', '25–59'), ('60+', '60+')], max_length=10, verbose_name='age band')),
                ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='birth year')),
                ('profile', models.CharField(choices=[('migrant', 'Migrant'), ('refugee', 'Refugee / asylum seeker'), ('host', 'Host community'), ('undisclosed', 'Prefer not to say')], default='undisclosed', max_length=20, verbose_name='profile')),
                ('preferred_language', models.CharField(choices=[('fr', 'French'), ('ar', 'Arabic'), ('en', 'English')], default='fr', max_length=5, verbose_name='preferred language')),
                ('preferred_channel', models.CharField(choices=[('sms', 'SMS'), ('email', 'E-mail'), ('whatsapp', 'WhatsApp'), ('none', 'No messages')], default='sms', max_length=10, verbose_name='preferred channel')),
                ('match_hash', models.CharField(blank=True, editable=False, max_length=64, null=True)),
                ('phone_hash', models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                ('name_hash', models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('personal_data_purged_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_participants', to='participants.participant', verbose_name='merged into')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participants', to='core.organization')),
            ],
            options={
                'verbose_name': 'participant',
                'verbose_name_plural': 'participants',
                'ordering': ['organization', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DuplicateCandidate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('phone_close_name', 'Same phone, close first name'), ('phone_same_name', 'Same phone and first name, other age'), ('name_other_phone', 'Same first name and age, other phone')], max_length=20, verbose_name='why')),
                ('score', models.PositiveSmallIntegerField(verbose_name='likelihood')),
                ('status', models.CharField(choices=[('open', 'To review'), ('merged', 'Merged'), ('distinct', 'Different people')], default='open', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duplicate_candidates', to='core.organization')),
                ('first', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participants.participant')),
                ('second', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='participants.participant')),
            ],
            options={
                'verbose_name': 'possible duplicate',
                'verbose_name_plural': 'possible duplicates',
                'ordering': ['-score', 'created_at'],
            },
        ),
        migrations.CreateModel(
            name='ParticipantCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret', models.CharField(default=participants.models.new_card_secret, editable=False, max_length=64, unique=True)),
                ('short_code', models.CharField(editable=False, max_length=8, unique=True)),
                ('status', models.CharField(choices=[('active', 'Active'), ('revoked', 'Revoked')], default='active', max_length=10, verbose_name='status')),
                ('issued_at', models.DateTimeField(auto_now_add=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cards', to='participants.participant')),
            ],
            options={
                'verbose_name': 'participant card',
                'verbose_name_plural': 'participant cards',
                'ordering': ['-issued_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ParticipantLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('linked_at', models.DateTimeField(auto_now_add=True)),
                ('attendee', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='participant_link', to='events.attendee')),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='links', to='participants.participant')),
            ],
            options={
                'verbose_name': 'participant link',
                'verbose_name_plural': 'participant links',
            },
        ),
        migrations.CreateModel(
            name='ParticipantMerge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('carried_ids', models.JSONField(default=list)),
                ('merged_at', models.DateTimeField(auto_now_add=True)),
                ('undone_at', models.DateTimeField(blank=True, null=True)),
                ('kept', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='participants.participant')),
                ('merged', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='participants.participant')),
                ('merged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.organization')),
                ('undone_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'participant merge',
                'verbose_name_plural': 'participant merges',
                'ordering': ['-merged_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.UniqueConstraint(condition=models.Q(('match_hash__isnull', False)), fields=('organization', 'match_hash'), name='one_participant_per_match_hash'),
        ),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.CheckConstraint(condition=models.Q(('merged_into', models.F('pk')), _negated=True), name='participant_not_merged_into_itself'),
        ),
        migrations.AddIndex(
            model_name='duplicatecandidate',
            index=models.Index(fields=['organization', 'status', '-score'], name='dup_queue'),
        ),
        migrations.AddConstraint(
            model_name='duplicatecandidate',
            constraint=models.UniqueConstraint(fields=('first', 'second'), name='one_candidate_per_pair'),
        ),
        migrations.AddConstraint(
            model_name='duplicatecandidate',
            constraint=models.CheckConstraint(condition=models.Q(('first__lt', models.F('second'))), name='pair_ordered'),
        ),
        migrations.AddConstraint(
            model_name='participantcard',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('participant',), name='one_active_card_per_participant'),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
    ]
