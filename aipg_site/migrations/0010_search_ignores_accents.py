"""Site search ignores accents: "prevencion" finds "prevención", and "prevención" finds "prevencion".

PostgreSQL: the `unaccent` extension (trusted, so the database's owner may create it) and a text
search configuration, `aipg_english`, that strips accents before English stemming. The search
backend indexes and queries with it (`SEARCH_CONFIG` in the settings). A language added later gets
its own configuration the same way: `unaccented_configuration(name, language)`.

SQLite: Wagtail creates its FTS5 table with the default tokenizer, which strips only a single accent
from a letter ("ó", not Vietnamese "ệ"). The table is made again with `remove_diacritics 2`, which
strips them all, and refilled from the index entries; Wagtail's triggers keep it in step as before.

What is already indexed on PostgreSQL keeps its accents until `manage.py update_index` runs again.
"""

from django.db import migrations

CONFIGURATION = "aipg_english"


def unaccented_configuration(name, language):
    """SQL for a copy of PostgreSQL's configuration for `language` that removes accents before stemming.

    Only the token types that can hold letters outside ASCII need `unaccent`: words, hyphenated words
    and their parts. The DO block makes it safe to run again, as CREATE has no IF NOT EXISTS.
    """
    return [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_ts_config WHERE cfgname = '{name}') THEN
                CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{language});
            END IF;
        END $$""",  # noqa: S608 (names written in this file, no input)
        f"ALTER TEXT SEARCH CONFIGURATION {name} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {language}_stem",
    ]


def fts_tokenizer(tokenizer):
    """Make SQLite's full-text table again with `tokenizer`, holding what the index entries hold."""

    def rebuild(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
        fts = f"{entries}_fts"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [fts])
            if cursor.fetchone() is None:
                return  # No FTS5 in this SQLite: Wagtail searches without the table.
            cursor.execute(f"DROP TABLE {fts}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title, tokenize = '{tokenizer}')"
            )
            cursor.execute(
                f"INSERT INTO {fts} (rowid, title, body, autocomplete) "  # noqa: S608 (table names, not input)
                f"SELECT id, title, body, autocomplete FROM {entries}"
            )

    return rebuild


def postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("aipg_site", "0009_program_spelling"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        # The extension stays on the way back: other things may have come to use it.
        migrations.RunPython(
            postgresql(unaccented_configuration(CONFIGURATION, "english")),
            postgresql([f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGURATION}"]),
        ),
        migrations.RunPython(fts_tokenizer("unicode61 remove_diacritics 2"), fts_tokenizer("unicode61")),
    ]
