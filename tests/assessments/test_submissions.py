"""Bad input through the room link API, each with a clear 4xx and nothing stored twice; the
offline replay; the card code; versioning; one submission per person under real concurrency."""

import functools
import uuid

import pytest

from assessments.models import Answer, Submission
from assessments.selectors import results_for_session
from assessments.services.question_sets import question_set_new_version
from assessments.services.submissions import Person, submission_record
from core.errors import ApplicationError
from participants.services.cards import card_issue
from tests.concurrency import run_together
from tests.factories import ParticipantLinkFactory, SessionFactory, TicketFactory

from .world import answer, answers_with, checks_make, question_set_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    session = SessionFactory()
    question_set = question_set_make(session.event.programme)
    pre, post = checks_make(session, question_set)
    ticket = TicketFactory(attendee__registration__event=session.event)
    return session, pre, post, ticket


def _post(client, assignment, **body):
    body.setdefault("client_id", str(uuid.uuid4()))
    if "answers" not in body:
        body["answers"] = [
            {"question": q, "choice": c}
            for q, c in answers_with(assignment.question_set, 4).items()
        ]
    return client.post(
        f"/api/v1/checks/{assignment.room_token}/submissions",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_ticket_code_records_the_scored_answers(client, room):
    _session, pre, _post_check, ticket = room
    response = _post(client, pre, code=ticket.short_code.lower())
    assert response.status_code == 201
    assert response.json() == {"status": "recorded", "correct": 4, "questions": 5, "passed": True}
    submission = Submission.objects.get()
    assert (submission.ticket_id, submission.gender) == (ticket.pk, ticket.attendee.gender)
    assert Answer.objects.filter(submission=submission).count() == 5


def test_a_second_submission_of_the_same_person_is_refused_and_nothing_is_stored(client, room):
    _session, pre, _post_check, ticket = room
    assert _post(client, pre, code=ticket.short_code).status_code == 201
    response = _post(client, pre, code=ticket.short_code)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert "already answered" in response.json()["detail"]
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == 5


def test_a_replayed_submission_is_recorded_once(client, room):
    _session, pre, _post_check, ticket = room
    client_id = str(uuid.uuid4())
    assert _post(client, pre, code=ticket.short_code, client_id=client_id).status_code == 201
    pre.is_open = False
    pre.save()
    response = _post(client, pre, code=ticket.short_code, client_id=client_id)
    assert response.status_code == 201
    assert response.json()["status"] == "replayed"
    assert Submission.objects.count() == 1


def test_an_answer_to_an_unknown_question_is_refused(client, room):
    _session, pre, _post_check, ticket = room
    other = question_set_make(pre.event.programme)
    answers = [{"question": q, "choice": c} for q, c in answers_with(other, 2).items()]
    response = _post(client, pre, code=ticket.short_code, answers=answers)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_question"
    assert Submission.objects.count() == 0


def test_a_closed_check_takes_no_answers(client, room):
    _session, pre, _post_check, ticket = room
    pre.is_open = False
    pre.save()
    response = _post(client, pre, code=ticket.short_code)
    assert response.status_code == 409
    assert response.json()["code"] == "check_closed"
    assert Submission.objects.count() == 0


def test_a_ticket_of_another_event_is_refused_with_its_own_message(client, room):
    _session, pre, _post_check, _ticket = room
    elsewhere = TicketFactory(attendee__registration__event__organizer=pre.event.organizer)
    response = _post(client, pre, code=elsewhere.short_code)
    assert response.status_code == 400
    assert response.json() == {
        "code": "other_event",
        "detail": "This ticket is for another event, not for this one.",
        "errors": {},
    }
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"code": "nope"}, "bad_code"),
        ({"code": "ZZZZ-ZZZZ"}, "unknown_code"),
        ({"gender": "female", "age_band": "25-59"}, "demographics_missing"),
        ({"gender": "female", "age_band": "25-59", "profile": "martian"}, "demographics_missing"),
    ],
)
def test_bad_identification_gets_a_clear_answer(client, room, body, code):
    _session, pre, _post_check, _ticket = room
    response = _post(client, pre, **body)
    assert response.status_code in (400, 404)
    assert response.json()["code"] == code
    assert Submission.objects.count() == 0


def test_missing_and_repeated_answers_are_refused(client, room):
    _session, pre, _post_check, ticket = room
    answers = [{"question": q, "choice": c} for q, c in answers_with(pre.question_set, 2).items()]
    assert _post(client, pre, code=ticket.short_code, answers=answers[:4]).json()["code"] == (
        "answers_missing"
    )
    repeated = [*answers, answers[0]]
    assert _post(client, pre, code=ticket.short_code, answers=repeated).json()["code"] == (
        "answer_repeated"
    )
    wrong_choice = [{**answers[0], "choice": answers[1]["choice"]}, *answers[1:]]
    assert _post(client, pre, code=ticket.short_code, answers=wrong_choice).json()["code"] == (
        "unknown_choice"
    )
    assert Submission.objects.count() == 0


def test_anonymous_answers_keep_the_demographics_given(client, room):
    _session, pre, _post_check, _ticket = room
    response = _post(client, pre, gender="male", age_band="18-24", profile="refugee")
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.ticket_id, submission.participant_id) == (None, None)
    assert (submission.gender, submission.age_band, submission.profile) == (
        "male",
        "18-24",
        "refugee",
    )


def test_a_participant_card_code_answers_as_the_holder_and_pairs_with_the_ticket(client, room):
    session, pre, post, ticket = room
    link = ParticipantLinkFactory(attendee=ticket.attendee)
    card = card_issue(participant=link.participant, actor=None)
    assert _post(client, pre, code=ticket.short_code).status_code == 201
    assert _post(client, post, code=card.short_code).status_code == 201
    # The same person again, by the other code: refused.
    assert _post(client, post, code=ticket.short_code).json()["code"] == "duplicate"
    [result] = results_for_session(session)
    assert result.overall.paired.people == 1
    assert Submission.objects.filter(assignment=post).get().ticket_id == ticket.pk


def test_the_check_api_gives_the_questions_in_three_languages(client, room):
    _session, pre, _post_check, _ticket = room
    body = client.get(f"/api/v1/checks/{pre.room_token}").json()
    assert len(body["questions"]) == 5
    assert body["questions"][0]["text_ar"] == "السؤال 1؟"
    assert body["questions"][2]["kind"] == "true_false"
    assert client.get("/api/v1/checks/unknown-token").status_code == 404


def test_editing_an_answered_set_makes_a_new_version_and_old_results_stay(room):
    session, pre, post, ticket = room
    answer(pre, Person(ticket.pk, None, "female", "25-59", "migrant"), 2)
    old_set = pre.question_set
    [before] = results_for_session(session)

    new = question_set_new_version(question_set=old_set)
    question = new.questions.first()
    question.text = "Une question reformulée ?"
    question.save()
    new_choice = question.choices.get(is_correct=True)
    new_choice.is_correct = False
    new_choice.save()
    question.choices.exclude(pk=new_choice.pk).filter(position=1).update(is_correct=True)

    pre.refresh_from_db()
    post.refresh_from_db()
    assert (new.version, new.previous_version_id) == (2, old_set.pk)
    assert old_set.questions.first().text == "Question 1 ?"
    assert pre.question_set_id == old_set.pk  # answered: keeps its version
    assert post.question_set_id == new.pk  # not answered yet: moves to the new one
    answer(post, Person(ticket.pk, None, "female", "25-59", "migrant"), 5)
    old_result, new_result = results_for_session(session)
    assert old_result.question_set == old_set and new_result.question_set == new
    assert (old_result.overall.pre.answered, old_result.overall.post.answered) == (1, 0)
    assert old_result.overall.pre.mean_score == before.overall.pre.mean_score == 40.0
    assert [q.percent_correct_pre for q in old_result.questions] == [
        q.percent_correct_pre for q in before.questions
    ]
    assert (new_result.overall.pre.answered, new_result.overall.post.answered) == (0, 1)
    with pytest.raises(ApplicationError) as error:
        question_set_new_version(question_set=old_set)
    assert error.value.code == "already_revised"


def test_an_unanswered_set_is_edited_in_place(room):
    _session, pre, _post_check, _ticket = room
    assert question_set_new_version(question_set=pre.question_set) == pre.question_set


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_of_one_person_store_one():
    session = SessionFactory()
    pre, _post_check = checks_make(session, question_set_make(session.event.programme))
    ticket = TicketFactory(attendee__registration__event=session.event)
    person = Person(ticket.pk, None, "female", "25-59", "migrant")
    answers = answers_with(pre.question_set, 3)

    def phone(client_id):
        try:
            return submission_record(
                assignment=pre, person=person, answers=answers, client_id=client_id
            ).replayed
        except ApplicationError as error:
            return error.code

    shared = uuid.uuid4()
    jobs = [functools.partial(phone, uuid.uuid4()) for _ in range(6)]
    jobs += [functools.partial(phone, shared) for _ in range(4)]
    outcomes, errors = run_together(jobs)
    assert errors == []
    assert Submission.objects.filter(assignment=pre).count() == 1
    assert Answer.objects.filter(submission__assignment=pre).count() == 5
    assert outcomes.count(False) == 1
    assert set(outcomes) <= {False, True, "duplicate"}


def test_a_scanned_ticket_qr_and_the_oral_channel_are_accepted(client, room):
    _session, pre, _post_check, ticket = room
    response = _post(
        client, pre, code=f"https://example.org/tickets/{ticket.secret}/", channel="oral"
    )
    assert response.status_code == 201
    assert Submission.objects.get().channel == "oral"
    assert _post(client, pre, code="x", channel="paper").status_code == 422
