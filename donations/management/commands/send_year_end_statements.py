from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from donations import statements


class Command(BaseCommand):
    help = (
        "Queue one task per donor who gave in the year, each emailing that donor their statement for it, "
        "in their language. Donors already sent that year's statement are skipped, so running it again "
        "sends only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The calendar year, e.g. 2026.")

    def handle(self, *args, year, **options):
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(f"{year} is not a year with gifts to report: give a past or the current year.")
        queued = statements.enqueue_year(year)
        self.stdout.write(f"Queued {queued} statement(s) for {year}; the worker sends them.")
