"""The Celery application, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("multaqa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers log through Django's LOGGING, so the personal-data scrubbing filter applies there
    too (by default Celery replaces the root logger's handlers with its own)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
