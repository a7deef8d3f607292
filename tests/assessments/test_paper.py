"""The paper sheet (printable, three languages, pictures) and the grid the organizer types the
sheets back into: every row recorded once, a wrong row returned with its message."""

import pytest

from assessments.models import Submission
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

from .world import checks_make, question_set_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(client):
    session = SessionFactory()
    question_set = question_set_make(session.event.programme)
    pre, _post = checks_make(session, question_set)
    client.force_login(MembershipFactory(organization=session.event.organizer).user)
    return session, pre


def _grid_form(client, pre, rows):
    page = client.get(f"/organizer/checks/{pre.pk}/grid/")
    form = {"rows": str(len(page.context["rows"]))}
    for index, row, _error in page.context["rows"]:
        form[f"row-{index}-client_id"] = str(row.client_id)
    for index, values in enumerate(rows):
        form.update({f"row-{index}-{key}": value for key, value in values.items()})
    return form


def test_thirty_sheets_typed_in_are_recorded_once_even_if_sent_twice(client, room):
    session, pre = room
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(20)]
    rows = [{"code": ticket.short_code, "answers": "22222"} for ticket in tickets]
    rows += [
        {"gender": "2", "age_band": str(1 + n % 6), "profile": "3", "answers": "11211"}
        for n in range(10)
    ]
    form = _grid_form(client, pre, rows)
    response = client.post(f"/organizer/checks/{pre.pk}/grid/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["recorded"] == 30
    assert Submission.objects.filter(assignment=pre, channel="paper").count() == 30
    assert Submission.objects.filter(assignment=pre, passed=True).count() == 20
    anonymous = Submission.objects.filter(assignment=pre, ticket__isnull=True)
    assert set(anonymous.values_list("gender", "profile")) == {("male", "host")}

    again = client.post(f"/organizer/checks/{pre.pk}/grid/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert (again.context["recorded"], again.context["replayed"]) == (0, 30)
    assert Submission.objects.filter(assignment=pre).count() == 30


def test_a_wrong_row_comes_back_with_its_message_and_the_others_are_kept(client, room):
    session, pre = room
    ticket = TicketFactory(attendee__registration__event=session.event)
    rows = [
        {"code": ticket.short_code, "answers": "2222"},
        {"gender": "1", "age_band": "5", "profile": "1", "answers": "21292"},
        {"gender": "9", "age_band": "5", "profile": "1", "answers": "21212"},
        {"gender": "1", "age_band": "5", "profile": "1", "answers": "21212"},
    ]
    response = client.post(
        f"/organizer/checks/{pre.pk}/grid/",
        _grid_form(client, pre, rows),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (response.context["recorded"], response.context["refused"]) == (1, 3)
    errors = [error for _index, _row, error in response.context["rows"] if error]
    assert errors == [
        "Type one digit per question (5 digits).",
        "Question 4 has no answer 9.",
        "Say your gender, age band and profile, or give your ticket code.",
    ]
    assert response.context["rows"][0][1].code == ticket.short_code
    assert Submission.objects.count() == 1


def test_the_paper_sheet_prints_in_arabic_right_to_left_with_its_pictures(client, room):
    from django.core.files.base import ContentFile

    from .world import TINY_PNG

    _session, pre = room
    question = pre.question_set.questions.first()
    question.picture.save("q.png", ContentFile(TINY_PNG))
    response = client.get(f"/organizer/checks/{pre.pk}/sheet/?language=ar")
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert "السؤال 1؟" in page and "الجواب 2" in page
    assert f"/checks/media/question/{question.pk}/picture" in page
    media = client.get(f"/checks/media/question/{question.pk}/picture")
    assert b"".join(media.streaming_content) == TINY_PNG
