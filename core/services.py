"""Writes that every app shares: partial updates, the audit trail, a merge's row locks."""

from collections.abc import Collection

from django.db import models, transaction

from .errors import ApplicationError
from .models import AuditEntry, Membership


def fields_check(data: dict, allowed: Collection[str]) -> None:
    """Refuse field names a service does not accept (a programming error, not user input)."""
    unknown = set(data).difference(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")


def apply_fields(instance: models.Model, data: dict, allowed: Collection[str]) -> None:
    """Set only the named, known fields; the caller validates and saves."""
    fields_check(data, allowed)
    for name, value in data.items():
        setattr(instance, name, value)


def merge_pair_locked(source: models.Model, into: models.Model, *, into_itself: str):
    """(source, target) of a merge, read again under row locks taken in id order, so that two
    opposite merges cannot deadlock. Refuses, with `into_itself`, a target that is the source or
    is gone. Call it inside the merge's transaction."""
    model = type(source)
    locked = {
        row.pk: row
        for row in model.objects.select_for_update()
        .filter(pk__in=[source.pk, into.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked.get(into.pk)
    if target is None or source.pk == target.pk:
        raise ApplicationError(into_itself, code="merge_into_itself")
    return source, target


def stored_actor(actor):
    """The user to store as who did something: None for the system or an unsaved/anonymous user."""
    return actor if getattr(actor, "pk", None) else None


def audit_record(*, actor, action: str, target=None, detail: dict | None = None) -> AuditEntry:
    """Record a sensitive action. `detail` must hold identifiers and reasons, never personal data."""
    return AuditEntry.objects.create(
        actor=stored_actor(actor),
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )


def membership_save(*, membership: Membership, actor, created: bool) -> Membership:
    """Grant (or change) a staff role; role changes are audited."""
    with transaction.atomic():
        membership.save()
        audit_record(
            actor=actor,
            action="membership.create" if created else "membership.change",
            target=membership,
            detail={
                "user": membership.user_id,
                "organization": membership.organization_id,
                "role": membership.role,
            },
        )
    return membership


def membership_delete(*, membership: Membership, actor) -> None:
    with transaction.atomic():
        detail = {
            "user": membership.user_id,
            "organization": membership.organization_id,
            "role": membership.role,
        }
        target_id = membership.pk
        membership.delete()
        entry = audit_record(actor=actor, action="membership.delete", detail=detail)
        entry.target_type, entry.target_id = "core.membership", str(target_id)
        entry.save(update_fields=["target_type", "target_id"])
