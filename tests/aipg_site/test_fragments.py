"""The menu, the footer and a page's other languages are worked out once and shared by every reader,
with the page cache off: an edit shows on the next request, each page still marks its own menu item,
an editor's state never reaches a reader, and a Spanish reader never gets the English words."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Locale, Site

from aipg_site.models import MenuItem, NavigationSettings, OrganisationSettings

from ..factories import OfficeFactory, StandardPageFactory


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    # Only the fragments are kept: every page below is rendered afresh.
    settings.PAGE_CACHE_SECONDS = 0


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def site(home):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def about(home, site):
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    publish(StandardPageFactory(parent=about, title="Our history", slug="history"))
    MenuItem.objects.create(settings=NavigationSettings.for_site(site), link_page=about, sort_order=0)
    return about


def page(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def menu(html):
    return [(link.get_text(strip=True), link.get("aria-current")) for link in html.select(".main-menu__link")]


def footer(html):
    return html.select_one(".site-footer").get_text(" ", strip=True)


def test_each_page_marks_its_own_menu_item_from_the_shared_menu(about):
    assert menu(page("/about/")) == [("About us", "page")]
    assert menu(page("/about/history/")) == [("About us", "true")]
    assert menu(page("/")) == [("About us", None)]


def test_a_published_title_shows_in_the_menu_on_the_next_request(about):
    assert menu(page("/")) == [("About us", None)]
    about.title = "Who we are"
    publish(about)
    assert menu(page("/")) == [("Who we are", None)]


def test_a_menu_item_added_shows_on_the_next_request(about, site, home):
    page("/")
    programs = publish(StandardPageFactory(parent=home, title="Programs", slug="programs"))
    MenuItem.objects.create(settings=NavigationSettings.for_site(site), link_page=programs, sort_order=1)
    assert [text for text, _current in menu(page("/"))] == ["About us", "Programs"]


def test_an_office_or_a_setting_saved_shows_in_the_footer_on_the_next_request(home, site):
    office = OfficeFactory(city="Buenos Aires", country="Argentina")
    assert "Buenos Aires" in footer(page("/"))
    office.city = "Montevideo"
    office.country = "Uruguay"
    office.save()
    assert "Montevideo" in footer(page("/"))
    organisation = OrganisationSettings.for_site(site)
    organisation.tagline = "Training those who govern"
    organisation.save()
    assert "Training those who govern" in footer(page("/"))


def test_an_editors_userbar_never_reaches_a_reader_and_a_reader_never_hides_it(admin_client, about):
    page("/about/")
    assert page("/about/", admin_client).select("wagtail-userbar")
    assert not page("/about/").select("wagtail-userbar")
    assert menu(page("/about/", admin_client)) == [("About us", "page")]


def test_a_spanish_reader_gets_the_spanish_menu_footer_and_languages_after_an_english_one(about, home, site):
    spanish = Locale.objects.get(language_code="es")
    organisation = OrganisationSettings.for_site(site)
    organisation.name, organisation.name_es = "Institute", "Instituto"
    organisation.save()
    publish(home.copy_for_translation(spanish))
    sobre = about.copy_for_translation(spanish)
    sobre.title, sobre.slug = "Quiénes somos", "quienes-somos"
    publish(sobre)

    english = page("/about/")
    assert menu(english) == [("About us", "page")]
    assert footer(english).startswith("Institute")
    assert english.select_one(".language-switcher__link")["href"] == "/es/quienes-somos/"

    spanish_page = page("/es/quienes-somos/")
    assert menu(spanish_page) == [("Quiénes somos", "page")]
    assert footer(spanish_page).startswith("Instituto")
    assert spanish_page.select_one(".language-switcher__link")["href"] == "/about/"
    assert {link["hreflang"] for link in spanish_page.select("link[hreflang]")} == {"en", "es", "x-default"}


def test_the_language_switcher_follows_a_translation_published_later(about, home):
    spanish = Locale.objects.get(language_code="es")
    publish(home.copy_for_translation(spanish))
    assert page("/about/").select_one(".language-switcher__link")["href"] == "/es/"
    sobre = about.copy_for_translation(spanish)
    sobre.slug = "quienes-somos"
    publish(sobre)
    html = page("/about/")
    assert html.select_one(".language-switcher__link")["href"] == "/es/quienes-somos/"
    assert html.select("link[hreflang]")
