from urllib.parse import unquote

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header from settings (Django 5.2 has no built-in one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        # The API docs page loads its own inline bootstrap script; keep it working in DEBUG.
        api_docs_in_debug = settings.DEBUG and request.path.endswith("/docs")
        if policy and "Content-Security-Policy" not in response and not api_docs_in_debug:
            response["Content-Security-Policy"] = policy
        return response


class RejectNulCharactersMiddleware:
    """A NUL character is never legitimate input here, and PostgreSQL refuses it in text: answer
    400 before any view turns it into a database error (a 500). Django's form fields already
    refuse it; this covers URLs, query strings and JSON bodies (the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return JsonResponse(
                {"code": "invalid", "detail": _("NUL characters are not allowed."), "errors": {}},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return True
        if request.content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False
