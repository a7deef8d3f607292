"""The admin of question sets: a version somebody answered is read-only, and "edit as a new
version" gives the editable copy while the answered one keeps its questions."""

import pytest
from django.contrib.auth.models import Permission

from assessments.models import QuestionSet
from assessments.services.submissions import Person
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

from .world import answer, checks_make, question_set_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(client):
    session = SessionFactory()
    question_set = question_set_make(session.event.programme)
    pre, _post = checks_make(session, question_set)
    ticket = TicketFactory(attendee__registration__event=session.event)
    answer(pre, Person(ticket.pk, None, "female", "25-59", "migrant"), 3)
    user = MembershipFactory(organization=session.event.organizer).user
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="assessments"))
    client.force_login(user)
    return question_set


def test_an_answered_version_is_read_only_and_offers_a_new_version(client, answered):
    page = client.get(f"/admin/assessments/questionset/{answered.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f"/admin/assessments/questionset/{answered.pk}/new-version/" in content
    assert 'name="title"' not in content  # read-only: no input to change it
    client.post(
        f"/admin/assessments/questionset/{answered.pk}/change/",
        {"title": "Changed", "pass_mark": 50},
    )
    answered.refresh_from_db()
    assert (answered.title, answered.pass_mark) == ("Violences sur la route migratoire", 60)


def test_edit_as_a_new_version_opens_the_copy(client, answered):
    response = client.post(f"/admin/assessments/questionset/{answered.pk}/new-version/")
    new = QuestionSet.objects.get(previous_version=answered)
    assert response["Location"] == f"/admin/assessments/questionset/{new.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert 'name="title"' in page
    assert new.questions.count() == answered.questions.count() == 5
