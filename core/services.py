"""Writes that every app shares: the audit trail."""

from .models import AuditEntry


def audit_record(*, actor, action: str, target=None, detail: dict | None = None) -> AuditEntry:
    """Record a sensitive action. `detail` must hold identifiers and reasons, never personal data."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )
