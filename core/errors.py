"""The one domain error. Services raise it with a machine code and a translated message; the API
maps it to a 4xx once (config/api.py) and HTML views show the message."""

from django.utils.functional import Promise


class ApplicationError(Exception):
    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        status: int = 400,
        field_errors: dict[str, list[str]] | None = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.status = status
        self.field_errors = field_errors or {}

    def __str__(self) -> str:
        return str(self.message)


class NotFound(ApplicationError):
    def __init__(self, message, *, code: str = "not_found"):
        super().__init__(message, code=code, status=404)


class PermissionDenied(ApplicationError):
    def __init__(self, message, *, code: str = "forbidden"):
        super().__init__(message, code=code, status=403)
