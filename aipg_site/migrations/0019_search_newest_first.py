"""What lets search list the newest matches first without reading every match (aipg_site/search.py,
`newest_first`), on PostgreSQL:

- `aipg_page_newest`: the pages of a language, most recently published first. The database walks it
  from the top and checks each page against the query until it has a page of results, so a query that
  matches 10,000 pages reads a few dozen.
- `aipg_search_entry_text`: the search index's title and text together, the very expression Wagtail's
  backend matches a query against (`title || body`). A query that matches few pages reads them
  through it; and its statistics tell the planner how many pages a query matches, which is what
  makes it choose between the two (without them it guessed one match for every query, and read them
  all).

SQLite searches with its own full-text engine and needs neither.
"""

import importlib

from django.db import migrations

accents = importlib.import_module("aipg_site.migrations.0010_search_ignores_accents")


class Migration(migrations.Migration):
    dependencies = [
        ("aipg_site", "0018_words_in_spanish"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            accents.postgresql(
                [
                    "CREATE INDEX IF NOT EXISTS aipg_page_newest"
                    " ON wagtailcore_page (locale_id, first_published_at DESC NULLS LAST, id DESC)",
                    "CREATE INDEX IF NOT EXISTS aipg_search_entry_text ON wagtailsearch_indexentry USING gin ((title || body))",
                    "ANALYZE wagtailcore_page",
                    "ANALYZE wagtailsearch_indexentry",
                ]
            ),
            accents.postgresql(
                ["DROP INDEX IF EXISTS aipg_page_newest", "DROP INDEX IF EXISTS aipg_search_entry_text"]
            ),
        ),
    ]
