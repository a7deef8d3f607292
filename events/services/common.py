from django.db import models


def apply_fields(instance: models.Model, data: dict, allowed: set[str]) -> None:
    """Set only the named, known fields; the caller validates and saves."""
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(instance, name, value)


def save_validated(instance: models.Model) -> models.Model:
    """full_clean (fields, clean(), constraints) then save: the database never sees bad rows."""
    instance.full_clean()
    instance.save()
    return instance
