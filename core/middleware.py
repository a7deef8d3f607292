from django.conf import settings


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
