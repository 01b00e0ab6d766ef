"""The header's language switcher leads to the same page in the other language, and says so, in that
language, when the page has no version in it."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, Page, PageViewRestriction

from ..factories import StandardPageFactory


def translate(page, title):
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.title = title
    spanish.save_revision().publish()
    return Page.objects.get(pk=spanish.pk).specific


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="About us", slug="about")


@pytest.fixture
def spanish_home(home):
    return translate(home, "Inicio")


def switcher(client, url):
    response = client.get(url)
    header = BeautifulSoup(response.content, "html.parser").find("header", class_="site-header")
    links = header.select(".language-switcher a")
    return links[0] if len(links) == 1 else links


def test_a_translated_page_links_to_its_translation_both_ways(client, about, spanish_home):
    translate(about, "Quiénes somos")
    to_spanish = switcher(client, "/about/")
    assert (to_spanish["href"], to_spanish["lang"], to_spanish["hreflang"]) == ("/es/about/", "es", "es")
    assert to_spanish.get_text(strip=True) == "Español"
    to_english = switcher(client, "/es/about/")
    assert (to_english["href"], to_english["lang"], to_english["hreflang"]) == ("/about/", "en", "en")
    assert to_english.get_text(strip=True) == "English"


def test_the_home_pages_link_to_each_other(client, home, spanish_home):
    assert switcher(client, "/")["href"] == "/es/"
    assert switcher(client, "/es/")["href"] == "/"


def test_a_page_without_a_translation_says_so_and_offers_the_other_home_page(client, about, spanish_home):
    to_spanish_home = switcher(client, "/about/")
    assert (to_spanish_home["href"], to_spanish_home["lang"]) == ("/es/", "es")
    assert to_spanish_home.get_text(strip=True) != "Español"

    StandardPageFactory(parent=spanish_home, title="Solo en español", slug="solo-en-espanol")
    to_english_home = switcher(client, "/es/solo-en-espanol/")
    assert (to_english_home["href"], to_english_home["lang"]) == ("/", "en")
    assert to_english_home.get_text(" ", strip=True) == "This page is not in English: go to the home page"


def test_a_withdrawn_or_private_translation_is_not_offered(client, about, spanish_home):
    sobre = translate(about, "Quiénes somos")
    sobre.unpublish()
    assert switcher(client, "/about/")["href"] == "/es/"

    sobre.save_revision().publish()
    PageViewRestriction.objects.create(page=sobre, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert switcher(client, "/about/")["href"] == "/es/"


def test_search_and_pages_not_found_switch_to_the_same_address(client, about, spanish_home):
    assert switcher(client, "/search/?q=genocide")["href"] == "/es/search/?q=genocide"
    assert switcher(client, "/es/search/?q=genocidio")["href"] == "/search/?q=genocidio"
    # About has no Spanish version: its Spanish address is not found, and leads back to it.
    assert switcher(client, "/es/about/")["href"] == "/about/"


def test_no_switcher_while_the_other_language_has_no_home_page(client, about):
    assert switcher(client, "/about/") == []


def test_the_switcher_sits_inside_the_menu_panel(client, about, spanish_home):
    """On a phone the menu panel is folded away, so the closed header stays one row (site.css)."""
    header = BeautifulSoup(client.get("/about/").content, "html.parser").find("header", class_="site-header")
    assert header.select_one("details.site-nav .site-nav__panel .language-switcher a") is not None
