"""Bearer authentication of door tokens for the check-in API."""

from ninja.security import HttpBearer

from .services.tokens import door_token_authenticate


class DoorTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        return door_token_authenticate(token)


door_token_auth = DoorTokenAuth()
