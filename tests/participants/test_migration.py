"""Registrations made before participants existed are linked by the data migration, with the
same exact-match rule as new ones; rows made at the old schema all survive the migration."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
# The events schema the participants migration runs on; unapplying participants also takes away
# what depends on it (attendance), so the data migration meets attendees made at that schema.
EVENTS_BEFORE = ("events", "0001_squashed_0004_programme_people_measures")
BEFORE = [("participants", None), EVENTS_BEFORE]


def _latest(executor):
    return executor.loader.graph.leaf_nodes()


def _old_world(apps):
    Organization = apps.get_model("core", "Organization")
    Programme = apps.get_model("events", "Programme")
    Event = apps.get_model("events", "Event")
    Registration = apps.get_model("events", "Registration")
    Attendee = apps.get_model("events", "Attendee")
    ngo = Organization.objects.create(name="NGO of the migration")
    programme = Programme.objects.create(
        code="MIG",
        name="Migration",
        lead_organization=ngo,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    events = [
        Event.objects.create(
            programme=programme,
            organizer=ngo,
            title=f"Event {i}",
            kind="african_fair",
            start_date=datetime.date(2026, 6, i + 1),
            end_date=datetime.date(2026, 6, i + 1),
        )
        for i in range(2)
    ]
    people = [
        (events[0], "+212612345678", [("Aminata", "female", "25-59"), ("Ibrahim", "male", "5-11")]),
        (events[1], "+212612345678", [("AMINATA", "female", "25-59")]),
        (events[1], "", [("Moussa", "male", "18-24")]),
    ]
    for event, phone, members in people:
        registration = Registration.objects.create(event=event, phone=phone, contact_name="x")
        for index, (name, gender, age_band) in enumerate(members):
            Attendee.objects.create(
                registration=registration,
                first_name=name,
                gender=gender,
                age_band=age_band,
                is_contact=index == 0,
            )
    return Attendee.objects.count()


def test_existing_people_are_linked_and_nothing_is_lost():
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state([EVENTS_BEFORE]).apps
    try:
        attendees = _old_world(old_apps)
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(_latest(MigrationExecutor(connection)))
    from events.models import Attendee
    from participants.models import Participant, ParticipantLink

    assert Attendee.objects.count() == attendees == 4
    assert ParticipantLink.objects.count() == attendees
    # Aminata twice (local and international spelling of one phone, two events) is one person;
    # her son is another; Moussa, with no phone, is a third.
    assert Participant.objects.count() == 3
    aminata = {
        link.participant_id
        for link in ParticipantLink.objects.filter(attendee__first_name__iexact="aminata")
    }
    assert len(aminata) == 1
