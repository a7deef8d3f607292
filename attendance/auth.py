"""Bearer authentication of door tokens for the check-in API, with a per-token rate limit: a
leaked or looping scanner cannot hammer the door (or guess ticket codes) faster than a busy gate
plus an offline queue being synced."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from core.errors import ApplicationError
from core.ratelimit import ratelimit_hit

from .services.tokens import door_token_authenticate, door_token_recall


class DoorTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        door_token = self.find(token)
        if door_token is None:
            return None
        limit, window = settings.DOOR_TOKEN_RATE_LIMIT
        if not ratelimit_hit(
            scope="door-token", key=door_token.token_hash, limit=limit, window_seconds=window
        ):
            raise ApplicationError(
                _("Too many requests from this scanner. Wait a minute, then try again."),
                code="rate_limited",
                status=429,
            )
        return door_token

    def find(self, raw_token: str):
        return door_token_authenticate(raw_token)


class ScanTokenAuth(DoorTokenAuth):
    """For the scan endpoint: the token may come from this process's recent reads (one query
    less per scan), and the scan's own read confirms it is still active (revoked: 401)."""

    def find(self, raw_token: str):
        return door_token_recall(raw_token)


door_token_auth = DoorTokenAuth()
scan_token_auth = ScanTokenAuth()
