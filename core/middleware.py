import base64
import hashlib
import re
import secrets
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header from settings (Django 5.2 has no built-in one).
    No inline script or style runs except a `<style>` block carrying this request's nonce
    (`request.csp_nonce`, `{nonce}` in the setting)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy.replace("{nonce}", request.csp_nonce)
        return response


_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def csp_for_stored_document(html: str) -> str:
    """The policy for a stored, self-contained HTML document served as is: its own `<style>`
    blocks are admitted by their hashes, nothing else inline."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in _STYLE_BLOCK.findall(html)
    )
    policy = settings.CONTENT_SECURITY_POLICY
    return re.sub(r"'nonce-\{nonce\}'", hashes or "", policy)


class RejectNulCharactersMiddleware:
    """A NUL character is never legitimate input here, and PostgreSQL refuses it in text: answer
    400 before any view turns it into a database error (a 500). Django's form fields already
    refuse it; this covers URLs, query strings and JSON bodies (the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            if not request.path_info.startswith("/api/"):
                raise  # pages keep Django's own 400
            return request_too_big_response()
        if has_nul:
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


def request_too_big_response() -> JsonResponse:
    """The API's answer to a body over DATA_UPLOAD_MAX_MEMORY_SIZE: its usual JSON error, not
    Django's HTML 400 page."""
    return JsonResponse(
        {
            "code": "request_too_large",
            "detail": _("The request body is too large."),
            "errors": {},
        },
        status=413,
    )
