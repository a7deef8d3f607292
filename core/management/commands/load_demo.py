from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the Oujda demo data of every app, in settings.DEMO_LOADERS order (safe to rerun)."

    def handle(self, *args, **options):
        created = 0
        login = None
        notes = []
        with transaction.atomic():
            for dotted in settings.DEMO_LOADERS:
                result = import_string(dotted)()
                created += result.created_objects
                if getattr(result, "text", ""):
                    notes.append(result.text)
                if login is None and hasattr(result, "username"):
                    login = result
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new objects)."))
        if login is not None:
            self.stdout.write(
                f"Organizer login: {login.username} / {login.password} at "
                f"{settings.SITE_URL}{reverse('core:login')}"
            )
        for note in notes:
            self.stdout.write(note)
