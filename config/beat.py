"""The Celery app the beat runs (`celery -A config.beat beat`): the broker and the schedule from
Django's settings, without Django's app registry.

The beat only puts task names on the queue at the scheduled times; it never runs a task, so it
needs neither the models nor the task code. The project's app (config/celery.py) would set Django
up and import every app, its admin and its task modules at start, which triples the beat's memory
for nothing. Without a registered task the scheduler sends the entry by name, exactly the message
the task's own `delay()` would send (our tasks set no routing or queue options of their own)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# fixups=[]: no Django fix-up, so nothing calls django.setup(); the settings module is read
# like any Python module, through django.conf's lazy settings.
app = Celery("multaqa", fixups=[])
app.config_from_object("django.conf:settings", namespace="CELERY")
