"""Online giving's own Spanish catalogue (donations/locale/es): complete, and up to date with the code."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "donations" / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_string_of_online_giving_has_its_spanish():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert len([form for form in entry.msgstr_plural.values() if form]) == 3, entry.msgid
        # A placeholder lost or misspelt in the Spanish would fail, or show, on a Spanish page.
        spanish = entry.msgstr or entry.msgstr_plural[2]
        for placeholder in ["%(amount)s", "{amount}", "{campaign}", "{tribute}", "{name}", "<str:token>"]:
            assert (placeholder in entry.msgid) == (placeholder in spanish), entry.msgid


def test_every_string_marked_for_donors_is_in_the_catalogue(tmp_path):
    """A string marked but never added shows in English on a Spanish page, and the test above cannot
    see it: so the catalogue is refreshed on a copy of the project, and must need no new translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: `make check` and `make test` install it (apt-get install gettext).")
    project = tmp_path / "project"
    for name in ("aipg_site", "stories", "resources", "donations", "templates", "locale"):
        shutil.copytree(Path(settings.BASE_DIR) / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", project / "manage.py")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "aipg_site.settings.test", "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages_donations"],
        cwd=project,
        env=environment,
        check=True,
        capture_output=True,
    )
    refreshed = polib.pofile(str(project / "donations" / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in refreshed if not entry.translated() or entry.fuzzy]
    assert missing == [], "Run manage.py makemessages_donations and translate these."
