"""The site's own words (menus, labels, messages, error pages) in the reader's language, and dates
and numbers written the way that language writes them. Page content is translated in the admin;
this is everything around it, from locale/es/LC_MESSAGES/django.po."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation
from wagtail.models import Locale

from aipg_site import formats, views

from ..factories import OfficeFactory, StoryIndexPageFactory, StoryPageFactory, TopicFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# The refresh command in the catalogue's header, without the folders a copy of the project lacks.
# Online giving's strings have their own catalogue (donations/locale, `manage.py makemessages_donations`).
MAKEMESSAGES = [
    *("makemessages", "-l", "es", "--no-location", "--no-obsolete"),
    *("--ignore=donations/*", "--ignore=templates/donations/*"),
    *("--ignore=templates/blocks/donate_block.html", "--ignore=templates/components/donate_cta.html"),
]


def translate(page):
    """`page` in Spanish, published on its own, as an editor leaves it (its parent translated first)."""
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.save_revision().publish()
    spanish.refresh_from_db()
    return spanish.specific


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    return " ".join(element.get_text(" ").split())


@pytest.fixture
def spanish_home(home):
    return translate(home)


@pytest.fixture
def stories(home):
    """A story index with two stories, one dated 9 December 2026, and a topic to filter by."""
    index = StoryIndexPageFactory(parent=home)
    topic = TopicFactory(name="Early warning", slug="early-warning")
    StoryPageFactory(parent=index, title="Older story", date=datetime.date(2026, 3, 1), topics=[topic])
    StoryPageFactory(parent=index, title="Newer story", slug="newer-story", date=datetime.date(2026, 12, 9))
    return index


@pytest.fixture
def spanish_stories(spanish_home, stories):
    spanish_index = translate(stories)
    for story in stories.get_children().specific():
        translate(story)
    return spanish_index


def test_the_spanish_chrome_is_in_spanish_and_the_english_unchanged(client, spanish_home):
    OfficeFactory(city="Buenos Aires", country="Argentina")
    page = soup(client.get("/es/"))
    assert text(page.select_one(".skip-link")) == "Saltar al contenido principal"
    assert text(page.select_one(".site-nav__toggle")) == "Menú"
    assert text(page.select_one("label[for=site-search-q]")) == "Buscar en el sitio"
    assert page.select_one(".site-search button").get_text(strip=True) == "Buscar"
    assert text(page.select_one("#footer-offices-heading")) == "Nuestras oficinas"
    assert page.select_one(".site-header__brand")["href"] == "/es/"  # the name leads home, in Spanish

    page = soup(client.get("/"))
    assert text(page.select_one(".skip-link")) == "Skip to main content"
    assert text(page.select_one(".site-nav__toggle")) == "Menu"
    assert text(page.select_one("label[for=site-search-q]")) == "Search the site"
    assert text(page.select_one("#footer-offices-heading")) == "Our offices"
    assert page.select_one(".site-header__brand")["href"] == "/"


def test_a_spanish_listing_has_spanish_filters_pagination_and_dates(client, spanish_stories, monkeypatch):
    monkeypatch.setattr("stories.models.STORIES_PER_PAGE", 1)
    page = soup(client.get("/es/stories/"))
    assert text(page.select_one("label[for=filter-topic]")) == "Tema"
    assert text(page.select_one("#filter-topic option[value='']")) == "Todos los temas"
    assert text(page.select_one(".listing-filters__submit")) == "Mostrar historias"
    assert text(page.select_one(".pagination__status")) == "Página 1 de 2"
    assert text(page.select_one("a[rel=next]")) == "Página Siguiente"
    assert text(page.select_one(".card__meta")) == "9 de diciembre de 2026"

    page = soup(client.get("/stories/"))
    assert text(page.select_one("label[for=filter-topic]")) == "Topic"
    assert text(page.select_one(".pagination__status")) == "Page 1 of 2"
    assert text(page.select_one("a[rel=next]")) == "Next page"
    assert text(page.select_one(".card__meta")) == "9 December 2026"


def test_spanish_filter_chips_and_notices(client, spanish_stories):
    page = soup(client.get("/es/stories/?topic=early-warning"))
    assert "1 publicación clasificada en:" in text(page.select_one(".active-filters__summary"))
    assert text(page.select_one(".active-filters__remove")) == "Quitar el filtro de tema"

    page = soup(client.get("/es/stories/?topic=nothing-here"))
    assert text(page.select_one(".notice")) == (
        "No tenemos historias para “nothing-here” como tema, así que la lista no se filtra por tema."
    )


def test_a_date_on_a_spanish_story_reads_as_spanish_writes_it(client, spanish_stories):
    page = soup(client.get("/es/stories/newer-story/"))
    date = page.select_one(".story__date time")
    assert text(date) == "9 de diciembre de 2026"
    assert date["datetime"] == "2026-12-09"  # for machines, the same in every language
    assert text(soup(client.get("/stories/newer-story/")).select_one(".story__date time")) == "9 December 2026"


def test_a_missing_page_under_es_is_a_spanish_404(client, spanish_home):
    response = client.get("/es/nonexistent/")
    assert response.status_code == 404
    page = soup(response)
    assert page.html["lang"] == "es"
    assert text(page.h1) == "No encontramos esa página"
    assert page.find("a", string="Ir a la página de inicio")["href"] == "/es/"

    page = soup(client.get("/nonexistent/"))
    assert text(page.h1) == "We could not find that page"
    assert page.find("a", string="Go to the home page")["href"] == "/"


@pytest.mark.parametrize(
    ("address", "language", "heading", "home_link"),
    [
        ("/es/broken/", "es", "Algo falló de nuestro lado", "/es/"),
        ("/broken/", "en", "Something went wrong on our side", "/"),
    ],
)
def test_the_500_page_speaks_the_language_of_the_address_without_the_database(
    address, language, heading, home_link, db, django_assert_num_queries
):
    # Whatever failed may be the database, so the page must not need it; and the failure may come
    # before the middleware that reads the language, so the view reads the address itself.
    with translation.override("en"), django_assert_num_queries(0):
        response = views.server_error(RequestFactory().get(address))
    assert response.status_code == 500
    page = soup(response)
    assert page.html["lang"] == language
    assert text(page.h1) == heading
    assert page.select_one("main a")["href"] == home_link


@pytest.mark.urls("tests.aipg_site.broken_urls")
def test_a_failure_under_es_gives_the_spanish_500_page(home):
    response = Client(raise_request_exception=False).get("/es/broken/")
    assert response.status_code == 500
    assert "Algo falló de nuestro lado" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("en", "day_month", "9 December"),
        ("en", "long", "9 December 2026"),
        ("en", "full", "Wednesday 9 December 2026"),
        ("es", "day_month", "9 de diciembre"),
        ("es", "long", "9 de diciembre de 2026"),
        ("es", "full", "miércoles, 9 de diciembre de 2026"),
    ],
)
def test_dates_in_each_language(language, style, expected):
    with translation.override(language):
        assert formats.local_date(datetime.date(2026, 12, 9), style) == expected


def test_english_dates_are_what_the_site_printed_before_it_had_a_second_language():
    from django.utils.formats import date_format

    day = datetime.date(2026, 12, 9)
    with translation.override("en"):
        assert formats.local_date(day, "long") == date_format(day, "j F Y")
        assert formats.local_date(day, "full") == date_format(day, "l j F Y")
        assert formats.local_date(day, "day_month") == date_format(day, "j F")


def test_numbers_in_each_language():
    with translation.override("en"):
        assert formats.local_number(12500) == "12,500"
    with translation.override("es"):
        assert formats.local_number(12500) == "12.500"


def test_every_string_of_the_site_has_its_spanish():
    """A string marked for translation and left untranslated (or fuzzy, a guess) by whoever ran
    makemessages would show in English on a Spanish page: it fails here instead."""
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert len([form for form in entry.msgstr_plural.values() if form]) == 3, entry.msgid


def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path):
    """A string marked for translation but never added to the catalogue shows in English on a
    Spanish page, and the test above cannot see it: so the catalogue is refreshed here, on a copy
    of the project, as the command in its header does, and must need no new translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: `make check` and `make test` install it (apt-get install gettext).")
    project = tmp_path / "project"
    for name in ("aipg_site", "stories", "resources", "donations", "templates", "locale"):
        shutil.copytree(Path(settings.BASE_DIR) / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", project / "manage.py")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "aipg_site.settings.test", "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=project, env=environment, check=True, capture_output=True
    )
    refreshed = polib.pofile(str(project / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in refreshed if not entry.translated() or entry.fuzzy]
    assert missing == [], "Run the command in the header of locale/es/LC_MESSAGES/django.po and translate these."
