"""A programme with known ground truth for the figures tests (numbers worked out by hand in
test_figures_measures.py's docstring)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.demographics import AgeBand, Gender, Profile
from events.models import EventKind, Measure
from tests.factories import (
    AttendanceFactory,
    AttendeeFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    TargetFactory,
    TicketFactory,
    VenueFactory,
    admission_of,
    share_target,
)

F, M, OTHER, U = Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.UNDISCLOSED


def _ticket(event, gender, age_band, profile):
    attendee = AttendeeFactory(
        registration=RegistrationFactory(event=event),
        gender=gender,
        age_band=age_band,
        profile=profile,
    )
    return TicketFactory(attendee=attendee, event=event)


@pytest.fixture
def ground_truth(db):
    lead = OrganizationFactory(name="Lead NGO")
    school_partner = OrganizationFactory(name="School partner")
    programme = ProgrammeFactory(
        lead_organization=lead,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 8, 31),
    )
    hall = VenueFactory(name="Hall")
    school = VenueFactory(name="School venue")
    meeting = EventFactory(
        programme=programme,
        kind=EventKind.CONVIVIALITY_MEETING,
        title="Meeting",
        start_date=datetime.date(2026, 10, 30),
        end_date=datetime.date(2026, 11, 2),
    )
    campaign = EventFactory(
        programme=programme,
        organizer=school_partner,
        kind=EventKind.SCHOOL_CAMPAIGN,
        title="Campaign",
        start_date=datetime.date(2026, 11, 10),
        end_date=datetime.date(2026, 11, 10),
    )
    empty = EventFactory(
        programme=programme,
        title="Nobody came yet",
        start_date=datetime.date(2027, 1, 5),
        end_date=datetime.date(2027, 1, 5),
    )
    s1 = SessionFactory(event=meeting, venue=hall, date=datetime.date(2026, 10, 30))
    s2 = SessionFactory(event=meeting, venue=hall, date=datetime.date(2026, 11, 2))
    s3 = SessionFactory(
        event=campaign,
        venue=school,
        date=datetime.date(2026, 11, 10),
        school_name="École A",
        class_level="CE6",
    )
    s4 = SessionFactory(event=empty, venue=hall, date=datetime.date(2027, 1, 5))

    t1 = _ticket(meeting, F, AgeBand.AGE_25_59, Profile.MIGRANT)
    t2 = _ticket(meeting, M, AgeBand.AGE_12_17, Profile.REFUGEE)
    t3 = _ticket(meeting, OTHER, AgeBand.AGE_60_PLUS, Profile.HOST)
    t4 = _ticket(meeting, U, AgeBand.AGE_0_4, Profile.UNDISCLOSED)

    admission_of(s1, t1)
    admission_of(s1, t2)
    admission_of(s1, t3)
    AttendanceFactory(session=s1, gender=F, age_band=AgeBand.AGE_5_11, profile=Profile.HOST)
    # The volunteer typed 'prefer not to say' at the second visit: still the same woman.
    admission_of(s2, t1, gender=U, source="short_code")
    admission_of(s2, t3, voided_at=timezone.now(), void_reason="scanned by mistake")
    admission_of(s2, t4, source="lookup")
    AttendanceFactory(session=s2, gender=M, age_band=AgeBand.AGE_18_24, profile=Profile.MIGRANT)
    AttendanceFactory(
        session=s3,
        source="class_tally",
        headcount=12,
        gender=F,
        age_band=AgeBand.AGE_5_11,
        profile=Profile.MIGRANT,
    )
    AttendanceFactory(
        session=s3,
        source="class_tally",
        headcount=10,
        gender=M,
        age_band=AgeBand.AGE_5_11,
        profile=Profile.MIGRANT,
    )
    AttendanceFactory(session=s3, gender=U, age_band=AgeBand.AGE_18_24, profile=Profile.REFUGEE)
    AttendanceFactory(
        session=s3,
        source="class_tally",
        headcount=5,
        gender=F,
        age_band=AgeBand.AGE_5_11,
        profile=Profile.HOST,
        voided_at=timezone.now(),
        void_reason="counted twice",
    )

    targets = SimpleNamespace(
        people_women=share_target(programme, Measure.PEOPLE_REACHED, 100, "gender", "female", 50),
        people_men=share_target(programme, Measure.PEOPLE_REACHED, 20, "gender", "male", 60),
        children_girls=share_target(
            programme, Measure.CHILDREN_REACHED, 10, "gender", "female", 35
        ),
        events=TargetFactory(programme=programme, measure=Measure.EVENTS_HELD, value=3),
        attendances_migrants=share_target(
            programme, Measure.ATTENDANCES, 50, "profile", "migrant", 40
        ),
    )
    organizer = MembershipFactory(organization=lead).user
    return SimpleNamespace(
        programme=programme,
        lead=lead,
        meeting=meeting,
        campaign=campaign,
        empty=empty,
        sessions=(s1, s2, s3, s4),
        tickets=(t1, t2, t3, t4),
        targets=targets,
        organizer=organizer,
        hall=hall,
        school=school,
        school_partner=school_partner,
    )
