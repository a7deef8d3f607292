"""WhatsApp sending through pluggable backends, like notifications.sms: a backend class named by
settings.WHATSAPP_BACKEND, a message value object (an approved template with named parameters,
or free text inside the 24-hour window) and one result per message."""

from django.conf import settings
from django.utils.module_loading import import_string

from .backends.base import BaseWhatsAppBackend, WhatsAppMessage

__all__ = ["BaseWhatsAppBackend", "WhatsAppMessage", "get_connection"]


def get_connection(backend: str | None = None, **kwargs) -> BaseWhatsAppBackend:
    return import_string(backend or settings.WHATSAPP_BACKEND)(**kwargs)
