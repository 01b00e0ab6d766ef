from django.core.management.base import BaseCommand

from aipg_site import page_cache


class Command(BaseCommand):
    help = "Retire every page in the anonymous page cache. Run it as a release step after a deploy."

    def handle(self, *args, **options):
        page_cache.purge()
        self.stdout.write("Page cache purged.")
