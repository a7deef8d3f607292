"""Who a partner is: a contact logged in with their own account, or holding a signed link that
carries only the contact's id and expires. No personal data travels in the link."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from core.models import Contact

SALT = "forums.partner-link"


def partner_link_token(*, contact: Contact) -> str:
    return signing.dumps({"contact": contact.pk}, salt=SALT, compress=True)


def partner_link_url(*, contact: Contact) -> str:
    """The absolute portal link e-mailed to a contact (the notifications outbox will use it)."""
    token = partner_link_token(contact=contact)
    return settings.SITE_URL + reverse("forums:partner_home", kwargs={"token": token})


def partner_contact_from_token(token: str) -> Contact | None:
    max_age = datetime.timedelta(days=settings.FORUMS_PARTNER_LINK_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(payload, dict):
        return None
    return Contact.objects.select_related("organization").filter(pk=payload.get("contact")).first()


def partner_contact_from_user(user) -> Contact | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return Contact.objects.select_related("organization").filter(user=user).first()
