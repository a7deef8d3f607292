"""Who calls the forums API besides staff: a partner contact, by a signed link's token in
X-Partner-Token or by their own session."""

from ninja.security import APIKeyHeader, SessionAuth

from .partners import partner_contact_from_token, partner_contact_from_user


class PartnerTokenAuth(APIKeyHeader):
    param_name = "X-Partner-Token"

    def authenticate(self, request, key):
        return partner_contact_from_token(key)


class PartnerSessionAuth(SessionAuth):
    """A logged-in partner contact (their Contact); anyone else is not a partner."""

    def authenticate(self, request, key):
        return partner_contact_from_user(request.user)


class PartnerOrStaffSessionAuth(SessionAuth):
    """A logged-in partner contact (their Contact), or staff (their User, checked per forum)."""

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        return partner_contact_from_user(user) or user


PARTNER_AUTH = [PartnerTokenAuth(), PartnerSessionAuth()]
