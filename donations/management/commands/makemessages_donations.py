"""Refresh online giving's own Spanish catalogue, donations/locale/es/LC_MESSAGES/django.po.

Django merges every app's catalogue with the site's (locale/), whose refresh leaves donations out;
this command gathers the strings of the donations app and of the templates a donor meets (the donate
page, donor pages and emails, the donate block and call to action) into the app's own. Run it from
the project's root after marking new strings, then translate what it added:

    .venv/bin/python manage.py makemessages_donations

tests/donations/test_catalogue.py fails on a string marked and left out or left untranslated.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

SOURCES = [
    "donations",
    "templates/donations",
    "templates/blocks/donate_block.html",
    "templates/components/donate_cta.html",
]
# Staff read these in English: the admin's templates, the demo content, the migrations.
LEFT_OUT = ["donations/migrations", "donations/demo.py", "templates/donations/admin"]


class Command(makemessages.Command):
    help = "Refresh donations/locale/es from the donations app and the templates donors meet."

    def handle(self, *args, **options):
        options.update(locale=options["locale"] or ["es"], no_location=True, no_obsolete=True)
        super().handle(*args, **options)

    def find_files(self, root):
        locale_dir = str(Path(settings.BASE_DIR) / "donations" / "locale")
        self.locale_paths.insert(0, locale_dir)
        base = Path(settings.BASE_DIR)
        found = []
        for source in SOURCES:
            path = base / source
            for file in [path] if path.is_file() else sorted(path.rglob("*")):
                relative = file.relative_to(base).as_posix()
                if file.suffix not in self.extensions or any(
                    relative == out or relative.startswith(out + "/") for out in LEFT_OUT
                ):
                    continue
                found.append(self.translatable_file_class(str(file.parent), file.name, locale_dir))
        return sorted(found)
