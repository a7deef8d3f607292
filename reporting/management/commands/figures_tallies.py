from django.core.management.base import BaseCommand, CommandError

from attendance.reach import reach_queue
from attendance.tallies import tallies_check, tallies_rebuild
from events.models import Programme
from reporting.figures.consistency import figures_differences
from reporting.figures.tallied import tallies_kept


class Command(BaseCommand):
    help = (
        "Check the figure tallies against a recomputation from the attendance rows: the tally "
        "rows, the programme reach rows and cells, then every programme's figures (all "
        "groupings) from the tallies "
        "against the same figures from the rows. --rebuild recomputes the tallies first. "
        "Exits with an error when anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recompute the tallies first")
        parser.add_argument(
            "--programme", type=int, action="append", help="only this programme id (repeatable)"
        )
        parser.add_argument(
            "--skip-figures", action="store_true", help="compare the tally rows only"
        )

    def handle(self, *args, rebuild, programme, skip_figures, **options):
        if not tallies_kept():
            raise CommandError(
                "Figure tallies are kept by PostgreSQL triggers only; on this database the "
                "figures are read from the attendance rows, so there is nothing to check."
            )
        if rebuild:
            tallies_rebuild()
            self.stdout.write("Tallies rebuilt from the attendance rows.")
        failures = []
        differences = tallies_check()
        # What came in while the check ran (doors admitting) is counted at the next flush.
        queue = reach_queue()
        since = (
            f", the oldest since {queue['oldest']:%Y-%m-%d %H:%M:%S %Z}" if queue["oldest"] else ""
        )
        self.stdout.write(f"reach queue: {queue['people']} person(s) waiting{since}")
        for name, count in differences.items():
            self.stdout.write(f"{name}: {count} row(s) differ from a recomputation")
            if count:
                failures.append(name)
        programmes = Programme.objects.order_by("pk")
        if programme:
            programmes = programmes.filter(pk__in=programme)
            missing = set(programme) - set(programmes.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No programme with id {', '.join(map(str, sorted(missing)))}.")
        for item in [] if skip_figures else programmes:
            differences = figures_differences(programme=item)
            self.stdout.write(
                f"programme {item.pk} ({item.code}): {len(differences)} difference(s)"
            )
            for line in differences[:20]:
                self.stdout.write(f"  {line}")
            if differences:
                failures.append(f"programme {item.pk}")
        if failures:
            raise CommandError(
                f"Figures tallies differ from the rows: {', '.join(failures)}. "
                "Run with --rebuild to recompute them."
            )
        self.stdout.write(self.style.SUCCESS("Figures tallies agree with the attendance rows."))
