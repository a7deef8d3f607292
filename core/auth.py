"""Authentication for staff: the Django session (admin login), limited to people with a role.
In the API anonymous callers get 401; on pages they are sent to the login page. Logged-in users
without a staff role get 403 in both."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from ninja.security import SessionAuth

from .errors import PermissionDenied
from .permissions import is_staff_member


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if not is_staff_member(user):
            raise PermissionDenied("Your account has no organizer role.")
        return user


staff_auth = StaffSessionAuth()


def organizer_page(view):
    """An organizers' page: signed in, with a staff role (objects are scoped by the view)."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
