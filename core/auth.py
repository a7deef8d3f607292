"""API authentication for staff: the Django session (admin login), limited to people with a role.
Anonymous callers get 401; logged-in users without a staff role get 403."""

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
