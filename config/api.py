"""The one NinjaAPI: mounts each app's router under /api/v1/ and maps domain errors once."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from attendance.api import router as attendance_router
from attendance.figures_api import router as figures_router
from core.errors import ApplicationError
from events.api import router as events_router
from forums.api import router as forums_router
from notifications.api import router as notifications_router

api = NinjaAPI(
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"code": "unauthenticated", "detail": "Authentication required."}, status=401
    )


api.add_router("/", events_router)
api.add_router("/", attendance_router)
api.add_router("/", figures_router)
api.add_router("/", forums_router)
api.add_router("/", notifications_router)
