"""SMS sending through pluggable backends, the way django.core.mail does it for e-mail: a backend
class named by settings.SMS_BACKEND, a message value object and per-message results."""

from django.conf import settings
from django.utils.module_loading import import_string

from .backends.base import BaseSmsBackend, SmsMessage, SmsResult

__all__ = ["BaseSmsBackend", "SmsMessage", "SmsResult", "get_connection"]


def get_connection(backend: str | None = None, **kwargs) -> BaseSmsBackend:
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)
