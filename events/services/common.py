from django.db import models


def save_validated(instance: models.Model) -> models.Model:
    """full_clean (fields, clean(), constraints) then save: the database never sees bad rows."""
    instance.full_clean()
    instance.save()
    return instance
