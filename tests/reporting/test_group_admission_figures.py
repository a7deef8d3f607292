"""A household admitted in one action at the door counts each member, with their own gender and
age band, in the event's figures."""

import uuid

import pytest

from attendance.services.groups import checkin_group_admit
from attendance.services.tokens import door_token_create
from core.demographics import AgeBand, Gender
from reporting.selectors import figures_for_event
from tests.attendance.conftest import door_open  # noqa: F401 (the fixture)
from tests.attendance.test_group_admission import household_of
from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("door_open")]


def test_each_member_of_a_household_admitted_together_counts_with_their_demographics():
    session = SessionFactory()
    token = door_token_create(label="Door", events=[session.event], created_by=None).door_token
    household = household_of(session.event)

    checkin_group_admit(
        token=token,
        text=household[0].secret,
        session_id=session.pk,
        ticket_ids=[ticket.pk for ticket in household],
        nonce=uuid.uuid4(),
    )

    totals = figures_for_event(event=session.event).totals
    assert totals.attendances == 3
    people = totals.breakdowns["people_reached"]
    assert people.share("gender", Gender.FEMALE).count == 2
    assert people.share("gender", Gender.MALE).count == 1
    assert people.share("age_band", AgeBand.AGE_25_59).count == 1
    assert totals.children_reached == 2
