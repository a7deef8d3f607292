"""Ground truth: a generated room (paired people, people who answered once, anonymous people,
every gender, age band and profile) gives exactly the pass rates, paired change and per-question
results it was built with, in the selectors and on the organizer's page."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.selectors import results_for_event, results_for_programme, results_for_session
from assessments.services.submissions import Person
from core.demographics import AgeBand, Gender, Profile
from tests.factories import SessionFactory, TicketFactory

from .world import QUESTIONS, answer, checks_make, question_set_make

pytestmark = pytest.mark.django_db

# Everyone of every combination; each kind of person gets scores from these cycles.
COMBINATIONS = list(itertools.product(Gender.values, AgeBand.values, Profile.values))
PAIRED_SCORES = itertools.cycle([(1, 4), (3, 5), (2, 2), (4, 2), (0, 3), (5, 5)])
PRE_ONLY = itertools.cycle([1, 3, 4])
POST_ONLY = itertools.cycle([2, 5])
ANONYMOUS = itertools.cycle([(2, 4), (3, None), (None, 1)])


def _passed(correct):
    return correct is not None and correct * 100 >= 60 * QUESTIONS


@pytest.fixture
def room():
    session = SessionFactory()
    question_set = question_set_make(session.event.programme)
    pre, post = checks_make(session, question_set)
    people = []  # (gender, age band, profile, pre correct, post correct, paired?)
    for number, (gender, age_band, profile) in enumerate(COMBINATIONS):
        kind = number % 4
        if kind == 3:
            pre_correct, post_correct = next(ANONYMOUS)
            person = Person(None, None, gender, age_band, profile)
        else:
            ticket = TicketFactory(
                attendee__registration__event=session.event,
                attendee__gender=gender,
                attendee__age_band=age_band,
                attendee__profile=profile,
            )
            person = Person(ticket.pk, None, gender, age_band, profile)
            if kind == 0:
                pre_correct, post_correct = next(PAIRED_SCORES)
            elif kind == 1:
                pre_correct, post_correct = next(PRE_ONLY), None
            else:
                pre_correct, post_correct = None, next(POST_ONLY)
        if pre_correct is not None:
            answer(pre, person, pre_correct)
        if post_correct is not None:
            answer(post, person, post_correct)
        people.append((gender, age_band, profile, pre_correct, post_correct, kind == 0))
    return session, question_set, people


def _expected(people):
    pre = [p[3] for p in people if p[3] is not None]
    post = [p[4] for p in people if p[4] is not None]
    paired = [p for p in people if p[5]]
    return {
        "answered": (len(pre), len(post)),
        "mean": (
            round(sum(100 * c / QUESTIONS for c in pre) / len(pre), 1) if pre else None,
            round(sum(100 * c / QUESTIONS for c in post) / len(post), 1) if post else None,
        ),
        "passed": (
            round(100 * sum(map(_passed, pre)) / len(pre), 1) if pre else None,
            round(100 * sum(map(_passed, post)) / len(post), 1) if post else None,
        ),
        "paired": len(paired),
        "improved": sum(_passed(p[4]) and not _passed(p[3]) for p in paired),
        "per_question": [
            tuple(
                round(100 * sum(c > i for c in scores) / len(scores), 1) if scores else None
                for scores in (pre, post)
            )
            for i in range(QUESTIONS)
        ],
    }


def _figures(group):
    return {
        "answered": (group.pre.answered, group.post.answered),
        "mean": (group.pre.mean_score, group.post.mean_score),
        "passed": (group.pre.percent_passed, group.post.percent_passed),
        "paired": group.paired.people,
        "improved": group.paired.improved,
    }


def test_overall_figures_are_exactly_the_generated_ones(room):
    session, _question_set, people = room
    [result] = results_for_session(session)
    expected = _expected(people)
    per_question = expected.pop("per_question")
    assert _figures(result.overall) == expected
    assert [
        (item.percent_correct_pre, item.percent_correct_post) for item in result.questions
    ] == per_question


def test_anonymous_answers_count_in_rates_but_never_in_the_paired_change(room):
    session, _question_set, people = room
    [result] = results_for_session(session)
    anonymous = [p for number, p in enumerate(people) if number % 4 == 3]
    assert result.anonymous_pre == sum(p[3] is not None for p in anonymous)
    assert result.anonymous_post == sum(p[4] is not None for p in anonymous)
    assert result.overall.paired.people == sum(p[5] for p in people)


def test_a_hand_counted_room_gives_the_published_rates():
    """Four people, figures worked out by hand: 2 of 4 pass before, 3 of 3 after, 1 improved."""
    session = SessionFactory()
    question_set = question_set_make(session.event.programme)
    pre, post = checks_make(session, question_set)
    tickets = [TicketFactory(attendee__registration__event=session.event) for _ in range(3)]
    people = [Person(t.pk, None, "female", "25-59", "migrant") for t in tickets]
    for person, before, after in zip(people, (2, 3, 5), (4, 3, None), strict=True):
        answer(pre, person, before)
        if after is not None:
            answer(post, person, after)
    answer(pre, Person(None, None, "male", "18-24", "host"), 1)
    answer(post, Person(None, None, "male", "18-24", "host"), 5)
    [result] = results_for_session(session)
    assert _figures(result.overall) == {
        "answered": (4, 3),
        "mean": (55.0, 80.0),
        "passed": (50.0, 100.0),
        "paired": 2,
        "improved": 1,
    }
    assert _figures(result.by["gender"]["male"])["passed"] == (0.0, 100.0)
    assert result.by["gender"]["female"].paired.people == 2
    assert result.by["gender"]["male"].paired.people == 0


@pytest.mark.parametrize("dimension", ["gender", "age_band", "profile"])
def test_every_demographic_value_gets_exactly_its_people(room, dimension):
    session, _question_set, people = room
    [result] = results_for_session(session)
    position = {"gender": 0, "age_band": 1, "profile": 2}[dimension]
    for value, group in result.by[dimension].items():
        mine = [p for p in people if p[position] == value]
        expected = _expected(mine)
        expected.pop("per_question")
        assert _figures(group) == expected, value


def test_event_and_programme_results_equal_the_session_ones_and_take_constant_queries(room):
    session, _question_set, _people = room
    [by_session] = results_for_session(session)
    with CaptureQueriesContext(connection) as queries:
        [by_event] = results_for_event(session.event)
    [by_programme] = results_for_programme(session.event.programme)
    assert (
        _figures(by_event.overall) == _figures(by_session.overall) == _figures(by_programme.overall)
    )
    assert len(queries) <= 4


def test_the_organizer_page_shows_the_rates_and_says_anonymous_answers_are_not_paired(room, client):
    from tests.factories import MembershipFactory

    session, _question_set, people = room
    user = MembershipFactory(organization=session.event.organizer).user
    client.force_login(user)
    response = client.get(
        f"/organizer/events/{session.event.pk}/checks/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    expected = _expected(people)
    page = response.content.decode()
    assert f"<td>{expected['passed'][0]}</td>" in page
    assert f"<td>{expected['passed'][1]}</td>" in page
    assert "not in the paired change" in page


def test_the_session_and_programme_pages_show_the_same_rates(room, client):
    from tests.factories import MembershipFactory

    session, _question_set, people = room
    client.force_login(MembershipFactory(organization=session.event.organizer).user)
    expected = _expected(people)
    for url in (
        f"/organizer/events/{session.event.pk}/checks/?session={session.pk}",
        f"/organizer/programmes/{session.event.programme_id}/checks/",
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f"<td>{expected['passed'][0]}</td>" in page, url
        assert f"<td>{expected['mean'][1]}</td>" in page, url
