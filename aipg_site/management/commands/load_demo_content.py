from django.core.management.base import BaseCommand
from django.db import transaction

from aipg_site.demo import programs, site_core, spanish_pages
from donations import demo as donations_demo
from resources import demo as resources_demo
from stories import demo as stories_demo


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo site: pages, images, settings and menu. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        home, about = site_core.load()
        # Each app's demo step hangs its section under `home` and returns the pages for the main menu.
        menu = [about]
        menu += programs.load(home)
        menu += stories_demo.load(home)
        menu += resources_demo.load(home)
        menu += donations_demo.load(home)
        site_core.set_main_menu(menu)
        # Last: the Spanish pages the steps above leave untranslated hang below their Spanish sections.
        spanish_pages.load(home)
        pages = home.get_descendants(inclusive=True).count()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {pages} pages under {home.url_path}"))
