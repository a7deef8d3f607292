"""Bulk-register people for an event from a CSV file. Dry run first:

python manage.py import_registrations 12 classe-6A.csv --dry-run
python manage.py import_registrations 12 classe-6A.csv
"""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from events.models import Event
from events.services.registration_imports import KNOWN_COLUMNS, registrations_import_csv


class Command(BaseCommand):
    help = (
        "Import registrations for an event from a UTF-8 CSV file (columns: "
        + ", ".join(KNOWN_COLUMNS)
        + "). Nothing is imported if any row is bad. Importing records that you obtained each "
        "person's consent to register."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("csv_file")
        parser.add_argument("--dry-run", action="store_true", help="Only check the file.")

    def handle(self, *args, event_id, csv_file, dry_run, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        try:
            with open(csv_file, "rb") as file:
                report = registrations_import_csv(event=event, file=file, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc.strerror}") from exc
        except ApplicationError as exc:
            for line in exc.field_errors.get("file", []):
                self.stderr.write(line)
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad row(s); nothing imported.")
        if dry_run:
            self.stdout.write(
                f"{report.rows} row(s) OK: {report.registrations} registration(s) would be created."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.registrations} registration(s) created: {report.tickets_valid} valid "
                    f"ticket(s), {report.tickets_waitlisted} on the waiting list."
                )
            )
