from core.models import Contact, Organization
from core.services import apply_fields

from .common import save_validated

ORGANIZATION_FIELDS = {"name", "acronym", "kind", "city", "website", "preferred_language"}
CONTACT_FIELDS = {"name", "role", "email", "phone", "preferred_language"}


def organization_create(**fields) -> Organization:
    organization = Organization()
    apply_fields(organization, fields, ORGANIZATION_FIELDS)
    return save_validated(organization)


def organization_update(*, organization: Organization, data: dict) -> Organization:
    apply_fields(organization, data, ORGANIZATION_FIELDS)
    return save_validated(organization)


def contact_create(*, organization: Organization, **fields) -> Contact:
    contact = Contact(organization=organization)
    apply_fields(contact, fields, CONTACT_FIELDS)
    return save_validated(contact)
