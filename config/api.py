"""The one NinjaAPI: mounts each app's router under /api/v1/ and maps domain errors once."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi import schema as ninja_openapi_schema

from assessments.api import router as assessments_router
from attendance.api import router as attendance_router
from core.errors import ApplicationError
from core.middleware import request_too_big_response
from core.schemas import UniqueNameJsonSchema
from events.api import router as events_router
from forums.api import router as forums_router
from notifications.api import router as notifications_router
from participants.api import router as participants_router
from participants.api_cards import router as participant_cards_router
from participants.api_privacy import router as participants_privacy_router
from proposals.api import router as proposals_router
from reporting.api import router as reporting_router

# Answers every operation can give besides its own: a refused request (400, e.g. a NUL character),
# request validation (422, ninja's own body) and, behind authentication, 401/403. Documented once here so the schema tells clients the truth.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
    "required": ["detail"],
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {"type": "object"},
    },
    "required": ["code", "detail"],
}


# ninja builds the document with this generator; ours gives every class its own component name.
ninja_openapi_schema.NinjaGenerateJsonSchema = UniqueNameJsonSchema

# JSON Schema's "time" format is RFC 3339's full-time, which demands a UTC offset; our session times
# are local wall-clock times ("10:00:00"), so describe them with a pattern instead. ASCII digits
# only, spelled out: `\d` also matches Arabic-Indic or fullwidth digits in many regex engines,
# and validation refuses those.
WALL_CLOCK_TIME_PATTERN = r"^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$"


def _describe_wall_clock_times(node):
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node["pattern"] = WALL_CLOCK_TIME_PATTERN
        for value in node.values():
            _describe_wall_clock_times(value)
    elif isinstance(node, list):
        for value in node:
            _describe_wall_clock_times(value)


def _query_values_are_never_null(operation):
    """A query string cannot carry JSON null (`?programme=null` is the text "null", refused as
    an integer): an optional query parameter is said by leaving it out, so it is not nullable."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        options = schema.get("anyOf")
        if parameter.get("in") != "query" or not options:
            continue
        options = [option for option in options if option.get("type") != "null"]
        if len(options) == 1:
            del schema["anyOf"]
            schema.update(options[0])
        else:
            schema["anyOf"] = options


class MultaqaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _describe_wall_clock_times(schema)
        for operations in schema["paths"].values():
            for operation in operations.values():
                _query_values_are_never_null(operation)
                responses = operation.setdefault("responses", {})
                extra = {
                    400: ("Bad request", ERROR_SCHEMA),
                    422: ("Validation error", VALIDATION_ERROR_SCHEMA),
                }
                if "requestBody" in operation:
                    extra[413] = ("Request body too large", ERROR_SCHEMA)
                if operation.get("security"):
                    extra[401] = ("Authentication required", ERROR_SCHEMA)
                    extra[403] = ("Forbidden", ERROR_SCHEMA)
                declared_422 = responses.get(422) or responses.get("422")
                if declared_422:
                    # An operation's own 422 (a domain error) or ninja's validation body.
                    content = declared_422.setdefault("content", {}).setdefault(
                        "application/json", {}
                    )
                    content["schema"] = {
                        "anyOf": [content.get("schema", ERROR_SCHEMA), VALIDATION_ERROR_SCHEMA]
                    }
                for status, (description, body) in extra.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {
                            "description": description,
                            "content": {"application/json": {"schema": body}},
                        }
        return schema


api = MultaqaAPI(
    title="Multaqa API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(
        request,
        {"code": exc.code, "detail": str(exc.message), "errors": exc.field_errors},
        status=exc.status,
    )


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
    return api.create_response(
        request, {"code": "invalid", "detail": detail, "errors": errors}, status=400
    )


@api.exception_handler(RequestDataTooBig)
def request_too_big(request, exc):
    # Bodies that are not JSON (uploads, forms) are first read here, inside ninja.
    return request_too_big_response()


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"code": "unauthenticated", "detail": "Authentication required."}, status=401
    )


api.add_router("/", events_router)
api.add_router("/", participants_router)
api.add_router("/", attendance_router)
api.add_router("/", assessments_router)
api.add_router("/", participant_cards_router)
api.add_router("/", reporting_router)
api.add_router("/", proposals_router)
api.add_router("/", forums_router)
api.add_router("/", notifications_router)
api.add_router("/", participants_privacy_router)
