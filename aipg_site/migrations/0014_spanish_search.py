"""Spanish pages are searched with Spanish stemming, accents ignored: "genocidios" finds "genocidio",
"prevencion" finds "prevención" (PostgreSQL's `aipg_spanish`, built like 0010's `aipg_english`; the
search backend picks it for Spanish pages and searches, aipg_site/search_backend.py).

SQLite's index needs nothing more: it ignores accents in every language and stems none. Spanish
pages indexed before this migration keep English stemming until `manage.py update_index` runs.
"""

import importlib

from django.db import migrations

CONFIGURATION = "aipg_spanish"
accents = importlib.import_module("aipg_site.migrations.0010_search_ignores_accents")


class Migration(migrations.Migration):
    dependencies = [("aipg_site", "0013_spanish_locale")]

    operations = [
        migrations.RunPython(
            accents.postgresql(accents.unaccented_configuration(CONFIGURATION, "spanish")),
            accents.postgresql([f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}"]),
        ),
    ]
