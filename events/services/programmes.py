from django.db import transaction

from core.models import Organization
from core.services import apply_fields
from events.models import Programme, Target

from .common import save_validated

# The fields an organizer writes, in the order the API shows them.
PROGRAMME_FIELDS = (
    "code",
    "name",
    "description",
    "lead_organization",
    "start_date",
    "end_date",
    "budget",
    "currency",
    "retention_days",
    "small_number_threshold",
)
TARGET_FIELDS = {"measure", "value", "share_field", "share_value", "share_min_percent"}


@transaction.atomic
def programme_create(
    *,
    targets: list[dict] | None = None,
    donors: list[Organization] | None = None,
    partners: list[Organization] | None = None,
    **fields,
) -> Programme:
    programme = Programme()
    apply_fields(programme, fields, PROGRAMME_FIELDS)
    save_validated(programme)
    programme.donors.set(donors or [])
    programme.partners.set(partners or [])
    for target in targets or []:
        target_create(programme=programme, **target)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    data: dict,
    donors: list[Organization] | None = None,
    partners: list[Organization] | None = None,
) -> Programme:
    apply_fields(programme, data, PROGRAMME_FIELDS)
    save_validated(programme)
    if donors is not None:
        programme.donors.set(donors)
    if partners is not None:
        programme.partners.set(partners)
    return programme


def target_create(*, programme: Programme, **fields) -> Target:
    target = Target(programme=programme)
    apply_fields(target, fields, TARGET_FIELDS)
    return save_validated(target)


def target_update(*, target: Target, data: dict) -> Target:
    apply_fields(target, data, TARGET_FIELDS)
    return save_validated(target)


def target_delete(*, target: Target) -> None:
    target.delete()
