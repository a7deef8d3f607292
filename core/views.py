from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.views.decorators.cache import cache_control

from .models import Contact
from .permissions import is_staff_member


def home(request):
    return render(request, "core/home.html")


# Browsers and the admin (whose pages do not link our icon) ask for /favicon.ico by themselves;
# a 404 there is an error in every console. Served here, not redirected: one request fewer.
@cache_control(max_age=86400, public=True)
def favicon(request):
    return FileResponse(open(finders.find("core/favicon.ico"), "rb"), content_type="image/x-icon")


def health(request):
    """Liveness for load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class MultaqaLoginView(LoginView):
    """One sign-in page for everyone who is not a participant: staff and organizers, and partner
    contacts whose account is linked to a core.Contact. The form authenticates with the request,
    so django-axes counts failures. Without a `next`, a partner lands on the partner portal and
    an organizer on the organizer home."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if not user.is_staff and Contact.objects.filter(user=user).exists():
            return resolve_url(settings.PARTNER_LOGIN_REDIRECT_URL)
        if is_staff_member(user):
            return resolve_url(settings.ORGANIZER_LOGIN_REDIRECT_URL)
        return super().get_default_redirect_url()


def admin_login(request):
    """The admin's own sign-in page (served at its usual URL), except that without a `next` an
    organizer lands on the organizer home rather than on the admin index."""
    extra_context = None
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        extra_context = {REDIRECT_FIELD_NAME: resolve_url(settings.ORGANIZER_LOGIN_REDIRECT_URL)}
    return admin.site.login(request, extra_context=extra_context)
