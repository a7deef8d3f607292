from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render, resolve_url

from .models import Contact
from .permissions import is_staff_member


def home(request):
    return render(request, "core/home.html")


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
