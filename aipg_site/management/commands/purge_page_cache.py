from django.core.management.base import BaseCommand

from aipg_site import cdn, page_cache


class Command(BaseCommand):
    help = (
        "Retire every page in the anonymous page cache, and queue a purge of every page from the frontend "
        "cache (Varnish) when one is configured. Run it as a release step after a deploy."
    )

    def handle(self, *args, **options):
        page_cache.purge()
        # Pages rendered by the old templates name the old static files, which the new image no longer has.
        cdn.purge_every_page()
        self.stdout.write("Page cache purged.")
