"""Demo attendance for `make run`: two past events of the demo programme (a family meeting with
walk-ins and a school visit counted as a class) so the figures dashboards have something to show.
Idempotent: events and sessions are looked up by natural key, and a session that already has
attendance gets none added. Runs after events.demo (it needs the demo programme and venues)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from attendance.models import Attendance
from core.demographics import AgeBand, Gender, Profile
from events.models import Event, EventKind, EventStatus, Programme, Session, Venue

DEMO_PROGRAMME = "vivre-ensemble-oriental"
DEMO_LABEL = "demo"

F, M, OTHER, U = Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.UNDISCLOSED
A = AgeBand

# (gender, age band, profile, how many walk-ins like this)
FAMILY_WALK_INS = [
    (F, A.AGE_25_59, Profile.MIGRANT, 9),
    (F, A.AGE_18_24, Profile.REFUGEE, 3),
    (M, A.AGE_25_59, Profile.MIGRANT, 6),
    (M, A.AGE_60_PLUS, Profile.HOST, 2),
    (F, A.AGE_5_11, Profile.MIGRANT, 5),
    (M, A.AGE_5_11, Profile.MIGRANT, 4),
    (F, A.AGE_0_4, Profile.HOST, 2),
    (F, A.AGE_25_59, Profile.HOST, 4),
    (OTHER, A.AGE_18_24, Profile.MIGRANT, 1),
    (U, A.AGE_25_59, Profile.UNDISCLOSED, 2),
]
# A class counted at the door: (gender, age band, profile, headcount)
CLASS_TALLY = [
    (F, A.AGE_12_17, Profile.HOST, 14),
    (M, A.AGE_12_17, Profile.HOST, 12),
    (F, A.AGE_12_17, Profile.MIGRANT, 3),
    (M, A.AGE_12_17, Profile.MIGRANT, 2),
]


@dataclass
class DemoResult:
    created_objects: int


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> DemoResult:
    today = today or timezone.localdate()
    programme = Programme.objects.filter(code=DEMO_PROGRAMME).first()
    if programme is None:
        return DemoResult(created_objects=0)
    created = 0
    hall = Venue.objects.filter(name="Maison de quartier Lazaret").first()
    school = Venue.objects.filter(name="École Ibn Sina").first()
    if hall is None or school is None:
        return DemoResult(created_objects=0)

    family_day = max(programme.start_date, today - datetime.timedelta(days=24))
    school_day = max(programme.start_date, today - datetime.timedelta(days=10))
    for title, title_ar, title_en, kind, day, venue, school_name, rows, source in [
        (
            "Rencontre conviviale de lancement",
            "لقاء ودي افتتاحي",
            "Launch conviviality meeting",
            EventKind.CONVIVIALITY_MEETING,
            family_day,
            hall,
            "",
            FAMILY_WALK_INS,
            Attendance.Source.WALK_IN,
        ),
        (
            "Atelier « Nos différences » — visite pilote",
            "ورشة اختلافاتنا — زيارة تجريبية",
            "“Our differences” workshop — pilot visit",
            EventKind.SCHOOL_CAMPAIGN,
            school_day,
            school,
            school.name,
            CLASS_TALLY,
            Attendance.Source.CLASS_TALLY,
        ),
    ]:
        event, event_created = Event.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "kind": kind,
                "title_ar": title_ar,
                "title_en": title_en,
                "organizer": programme.lead_organization,
                "start_date": day,
                "end_date": day,
                "status": EventStatus.CLOSED,
            },
        )
        session, session_created = Session.objects.get_or_create(
            event=event,
            date=event.start_date,
            start_time=datetime.time(15),
            defaults={
                "end_time": datetime.time(18),
                "venue": venue,
                "school_name": school_name,
                "class_level": "1re année collège" if school_name else "",
            },
        )
        created += int(event_created) + int(session_created)
        if session.attendances.exists():
            continue
        recorded_at = timezone.make_aware(
            datetime.datetime.combine(session.date, datetime.time(15, 30))
        )
        new_rows = []
        for gender, age_band, profile, number in rows:
            # A walk-in is one row per person; a class tally is one row with its headcount.
            per_row = [1] * number if source == Attendance.Source.WALK_IN else [number]
            new_rows.extend(
                Attendance(
                    event=event,
                    session=session,
                    source=source,
                    gender=gender,
                    age_band=age_band,
                    profile=profile,
                    headcount=headcount,
                    recorded_at=recorded_at,
                    recorded_by_label=DEMO_LABEL,
                )
                for headcount in per_row
            )
        Attendance.objects.bulk_create(new_rows)
        created += len(new_rows)
    return DemoResult(created_objects=created)
