"""English stays at the addresses it always had; Spanish lives under /es/, each language its own page."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from wagtail.models import Locale

from ..factories import StandardPageFactory


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="About us", slug="about")


@pytest.fixture
def spanish_home(home):
    """The home page translated into Spanish, as an editor leaves it: published on its own."""
    spanish = home.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.title = "Instituto Auschwitz para la Prevención del Genocidio"
    spanish.save_revision().publish()
    spanish.refresh_from_db()
    return spanish


def html_lang(response):
    return BeautifulSoup(response.content, "html.parser").html["lang"]


def varies_on(response):
    return {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}


def test_english_pages_keep_their_addresses(client, home, about):
    assert home.url == "/"
    assert about.url == "/about/"
    for url in ("/", "/about/", "/search/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en"
        assert response["Content-Language"] == "en"


@pytest.mark.parametrize("url", ["/", "/about/"])
def test_a_browser_that_prefers_spanish_is_not_moved_from_an_english_address(url, home, about, spanish_home):
    """The address alone says the language: not Accept-Language, not Django's language cookie. So an
    English page says nothing about varying with the browser's language either."""
    visitor = Client(HTTP_ACCEPT_LANGUAGE="es-AR,es;q=0.9")
    visitor.cookies["django_language"] = "es"
    response = visitor.get(url)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "accept-language" not in varies_on(response)


def test_a_spanish_translation_is_served_under_es(client, home, about, spanish_home):
    assert spanish_home.url == "/es/"
    response = client.get("/es/")
    assert response.status_code == 200
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Instituto Auschwitz para la Prevención del Genocidio" in response.content.decode()
    # The English home is still English, at its own address.
    assert html_lang(client.get("/")) == "en"


def test_a_translated_page_has_the_spanish_address_of_its_source(client, about, spanish_home):
    sobre = about.copy_for_translation(Locale.objects.get(language_code="es"))
    sobre.title = "Quiénes somos"
    sobre.save_revision().publish()
    assert sobre.url == "/es/about/"
    response = client.get("/es/about/")
    assert html_lang(response) == "es"
    assert "Quiénes somos" in response.content.decode()
    assert "Quiénes somos" not in client.get("/about/").content.decode()


def test_an_untranslated_page_is_not_served_under_a_spanish_address(client, about, spanish_home):
    assert client.get("/es/about/").status_code == 404


def test_es_without_a_spanish_site_is_the_normal_not_found_page(client, home, about):
    """Wagtail would route /es/ from the English home when it has no Spanish translation, and show the
    English pages under Spanish addresses; they are not found instead, on the site's own 404 page."""
    for url in ("/es/", "/es/about/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "site-header" in response.content.decode()


def test_search_has_an_address_in_each_language_and_crawlers_keep_out_of_both(client, home):
    response = client.get("/es/search/?q=genocidio")
    assert response.status_code == 200
    assert html_lang(response) == "es"
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /search/" in robots
    assert "Disallow: /es/search/" in robots


class TestThePageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600
        cache.clear()

    def test_keeps_the_two_languages_apart(self, home, spanish_home):
        assert Client().get("/").get("X-Page-Cache") == "miss"
        assert Client().get("/es/").get("X-Page-Cache") == "miss"
        english, spanish = Client().get("/"), Client().get("/es/")
        assert (english["X-Page-Cache"], spanish["X-Page-Cache"]) == ("hit", "hit")
        assert (html_lang(english), html_lang(spanish)) == ("en", "es")

    def test_stores_an_english_page_whatever_language_the_first_visitor_prefers(self, home, spanish_home):
        first = Client(HTTP_ACCEPT_LANGUAGE="es").get("/")
        assert first["X-Page-Cache"] == "miss"
        again = Client(HTTP_ACCEPT_LANGUAGE="en").get("/")
        assert again["X-Page-Cache"] == "hit"
        assert html_lang(again) == "en"
