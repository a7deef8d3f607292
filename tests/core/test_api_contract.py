"""The API says what it accepts and accepts what it says: component names, request bodies that
must be objects, strict numbers, body size, times, nullable query parameters."""

import enum
import json
import re
from collections import defaultdict

import pytest
from ninja.openapi import schema as ninja_openapi_schema
from pydantic import BaseModel

from config.api import api
from core.models import Organization
from tests.factories import EventFactory, OrganizationFactory, ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _generated_definitions():
    """Each schema ninja generates for the document, as ninja generates it: definition name ->
    the distinct bodies generated under that name."""
    bodies = defaultdict(set)
    for operation in _operations():
        models = [(model, "validation") for model in operation.models]
        models += [
            (model, "serialization")
            for model in operation.response_models.values()
            if isinstance(model, type) and issubclass(model, BaseModel)
        ]
        for model, mode in models:
            schema = model.model_json_schema(
                ref_template=ninja_openapi_schema.REF_TEMPLATE,
                schema_generator=ninja_openapi_schema.NinjaGenerateJsonSchema,
                mode=mode,
            )
            for name, body in schema.get("$defs", {}).items():
                bodies[name].add(json.dumps(body, sort_keys=True))
    return bodies


def _reachable_enums():
    seen, found = set(), set()

    def visit(annotation):
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            found.add(annotation)
        elif (
            isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
            and annotation not in seen
        ):
            seen.add(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
        for argument in getattr(annotation, "__args__", ()) or ():
            visit(argument)

    for operation in _operations():
        for model in [*operation.models, *operation.response_models.values()]:
            visit(model)
    return found


def test_no_two_schemas_share_a_component_name():
    clashes = {name: bodies for name, bodies in _generated_definitions().items() if len(bodies) > 1}
    assert not clashes, "one component name, several schemas:\n" + "\n".join(
        f"{name}: {sorted(bodies)}" for name, bodies in clashes.items()
    )


def test_every_enum_of_the_api_has_its_own_component():
    components = api.get_openapi_schema()["components"]["schemas"]
    listed = [sorted(c["enum"]) for c in components.values() if "enum" in c]
    missing = [
        e.__qualname__ for e in _reachable_enums() if sorted(m.value for m in e) not in listed
    ]
    assert not missing, f"enums lost to a component name clash: {missing}"


def test_organization_kind_lists_the_organization_kinds():
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    kind = components["OrganizationIn"]["properties"]["kind"]
    target = components[kind["$ref"].rsplit("/", 1)[1]]
    assert target["enum"] == list(Organization.Kind.values)


def test_each_documented_organization_kind_is_accepted(client, admin_user):
    client.force_login(admin_user)
    components = api.get_openapi_schema()["components"]["schemas"]
    ref = components["OrganizationIn"]["properties"]["kind"]["$ref"]
    for value in components[ref.rsplit("/", 1)[1]]["enum"]:
        response = client.post(
            "/api/v1/organizations", {"name": value, "kind": value}, content_type="application/json"
        )
        assert response.status_code == 201, (value, response.content)


@pytest.fixture
def patch_targets(organizer):
    organization = organizer.memberships.get().organization
    event = EventFactory(organizer=organization, programme__lead_organization=organization)
    session = SessionFactory(event=event)
    return [
        f"/api/v1/programmes/{event.programme_id}",
        f"/api/v1/events/{event.pk}",
        f"/api/v1/sessions/{session.pk}",
    ]


@pytest.mark.parametrize("body", ['"x"', "42", "null", "[]", "true"])
def test_patch_with_a_body_that_is_not_an_object_is_422(organizer_client, patch_targets, body):
    for url in patch_targets:
        response = organizer_client.patch(url, body, content_type="application/json")
        assert response.status_code == 422, (url, response.content)
        assert "objet JSON" in response.json()["detail"][0]["msg"], url  # French by default


@pytest.mark.parametrize("body", ['"x"', "42", "null", "[]"])
def test_organization_patch_with_a_body_that_is_not_an_object_is_422(client, admin_user, body):
    client.force_login(admin_user)
    organization = OrganizationFactory()
    response = client.patch(
        f"/api/v1/organizations/{organization.pk}", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "objet JSON" in response.json()["detail"][0]["msg"]


def test_every_patch_operation_refuses_a_body_that_is_not_an_object():
    # Covers the operations the HTTP tests above do not reach (forums): the body schema itself.
    patch_bodies = [
        model
        for operation in _operations()
        if "PATCH" in operation.methods
        for model in operation.models
        if model.__ninja_param_source__ == "body"
    ]
    assert len(patch_bodies) >= 5
    for model in patch_bodies:
        for body in ("x", 42, None, []):
            with pytest.raises(ValueError):
                model.model_validate(dict.fromkeys(model.model_fields, body))


@pytest.mark.parametrize("capacity", ["5", True, 5.5])
def test_a_count_must_be_a_json_integer(organizer_client, patch_targets, capacity):
    response = organizer_client.patch(
        patch_targets[1], {"capacity": capacity}, content_type="application/json"
    )
    assert response.status_code == 422, response.content


def test_a_flag_must_be_a_json_boolean(organizer_client, patch_targets):
    response = organizer_client.patch(
        patch_targets[1], {"ask_nationality": "yes"}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    response = organizer_client.patch(
        patch_targets[1], {"ask_nationality": 1}, content_type="application/json"
    )
    assert response.status_code == 422, response.content


def test_dates_and_times_in_bodies_are_still_read_from_strings(organizer_client, patch_targets):
    response = organizer_client.patch(
        patch_targets[2],
        {"start_time": "09:15", "end_time": "17:00:00", "capacity": 40},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["start_time"] == "09:15:00"


def test_an_oversized_json_body_gets_a_json_413(organizer_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    body = json.dumps({"title": "a" * 5_000_000})
    response = organizer_client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert response.json()["detail"]


def test_an_oversized_upload_gets_a_json_413(organizer_client, patch_targets, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    event_id = patch_targets[1].rsplit("/", 1)[1]
    response = organizer_client.post(
        f"/api/v1/events/{event_id}/registrations/import",
        {"note": "x" * 5000, "file": ("a.csv", b"a,b\n")},
    )
    assert response.status_code in (413, 422), response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["١٠:٣٠", "１０:３０", "۱۰:۳۰"])
def test_non_ascii_digits_in_a_time_are_refused_and_not_described(
    organizer_client, patch_targets, value
):
    response = organizer_client.patch(
        patch_targets[2], {"start_time": value}, content_type="application/json"
    )
    assert response.status_code == 422
    components = api.get_openapi_schema()["components"]["schemas"]
    start_time = components["SessionPatch"]["properties"]["start_time"]
    patterns = [o["pattern"] for o in start_time.get("anyOf", [start_time]) if "pattern" in o]
    assert patterns
    for pattern in patterns:
        # Python's `re`, like schemathesis', gives `\d` every Unicode digit.
        assert not re.search(pattern, value), pattern
        assert re.search(pattern, "10:30")


def test_query_parameters_are_not_described_as_nullable():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert '"null"' not in json.dumps(parameter["schema"]), (path, parameter)


def test_null_in_a_query_string_is_refused_as_the_schema_says(organizer_client):
    ProgrammeFactory()
    assert organizer_client.get("/api/v1/events?programme=null").status_code == 422
    assert organizer_client.get("/api/v1/events").status_code == 200
