"""The Spanish locale, beside the English one Wagtail made from LANGUAGE_CODE.

Editors translate pages into the locales that exist; with this one in place, a fresh database (the
demo, the tests, a new server) offers Spanish without a visit to Settings > Locales. Undoing the
migration leaves the locale: Spanish pages may already belong to it.
"""

from django.db import migrations


def create_spanish_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="es")


class Migration(migrations.Migration):
    dependencies = [
        ("aipg_site", "0012_image_description_help"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        migrations.RunPython(create_spanish_locale, migrations.RunPython.noop),
    ]
