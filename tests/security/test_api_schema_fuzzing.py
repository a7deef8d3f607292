"""Hostile input against our own OpenAPI schema (schemathesis, in-process through the WSGI app):
for every operation, a bounded number of generated requests — valid and invalid — authenticated as
an organizer (session cookie + CSRF) and as a volunteer (door token). No 5xx, and every answer
matches the schema (status code, content type, body)."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from attendance.services.tokens import door_token_create
from config.wsgi import application
from tests.factories import MembershipFactory, SessionFactory, TicketFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
# Per operation and per mode (positive, negative), for each role. About 2 to 3 minutes per role on
# two cores (bench/RESULTS.md); raise it with care, CI runs this on every push.
MAX_EXAMPLES = 50
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
DOOR_TAG = "check-in"


@pytest.fixture
def in_process_wsgi():
    """Requests run inside the test's transaction, as Django's test client arranges it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(in_process_wsgi):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def some_data():
    session = SessionFactory()
    TicketFactory(attendee__registration__event=session.event)
    return session


def operations(schema, *, door: bool):
    for result in schema.get_all_operations():
        operation = result.ok()
        if (DOOR_TAG in (operation.tags or [])) == door:
            yield operation


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def fuzz(operation, *, headers, cookies, statuses: list[int]) -> list[str]:
    failures: list[str] = []

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def positive(case):
        check(case)

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    def negative(case):
        check(case)

    def check(case):
        try:
            response = case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
            statuses.append(response.status_code)
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # schemathesis' failure groups: keep going, report them all
            failures.append(f"{operation.label}: {exc}"[:1500])

    runs = [positive, negative]
    if "multipart/form-data" in str(operation.definition.raw.get("requestBody", "")):
        # Schemathesis cannot serialise a non-object negative body as multipart (it fails in
        # its own client before any request), so uploads get the positive run only.
        runs = [positive]
    for run in runs:
        try:
            run()
        except Exception as exc:  # e.g. no negative case possible for this operation
            if "Unsatisfiable" not in type(exc).__name__:
                failures.append(f"{operation.label}: {type(exc).__name__}: {exc}"[:2000])
    return failures


def test_organizer_api_survives_generated_input(api_schema, some_data, client):
    organizer = MembershipFactory(organization=some_data.event.organizer).user
    client.force_login(organizer)
    csrf_secret = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf_secret}
    headers = {"X-CSRFToken": _mask_cipher_secret(csrf_secret)}

    failures, statuses = [], []
    for operation in operations(api_schema, door=False):
        failures += fuzz(operation, headers=headers, cookies=cookies, statuses=statuses)

    assert not failures, "\n\n".join(failures)
    assert 200 in statuses  # authenticated: real answers, not only 401s


def test_volunteer_api_survives_generated_input(api_schema, some_data, settings, time_machine):
    time_machine.move_to(datetime.datetime.combine(some_data.date, datetime.time(10, 30)))
    settings.DOOR_TOKEN_RATE_LIMIT = (100_000, 60)
    issued = door_token_create(label="Fuzz", events=[some_data.event], created_by=None)
    headers = {"Authorization": f"Bearer {issued.raw_token}"}

    failures, statuses = [], []
    for operation in operations(api_schema, door=True):
        failures += fuzz(operation, headers=headers, cookies={}, statuses=statuses)

    assert not failures, "\n\n".join(failures)
    assert 200 in statuses  # the token was accepted
