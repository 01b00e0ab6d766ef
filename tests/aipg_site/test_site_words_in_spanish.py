"""The menu, the footer and the donate call in the reader's language: Spanish pages show the Spanish
words of the site settings, the Spanish translations of the menu's pages and of the offices, and
fall back to the English ones where nothing is translated."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, Site

from aipg_site.models import MenuItem, NavigationSettings, OrganisationSettings

from ..factories import OfficeFactory, StandardPageFactory


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def spanish_home(home, spanish):
    return publish(home.copy_for_translation(spanish))


@pytest.fixture
def site(home):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def organisation(site):
    organisation = OrganisationSettings.for_site(site)
    organisation.name = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    organisation.name_es = "Instituto Auschwitz para la Prevención del Genocidio y las Atrocidades Masivas"
    organisation.tagline = "Preventing genocide by training those who govern."
    organisation.tagline_es = ""  # not translated: the English line stays
    organisation.save()
    return organisation


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def menu(client, url):
    return [(link.get_text(strip=True), link["href"]) for link in html(client, url).select(".main-menu__link")]


def test_a_menu_item_leads_to_its_pages_spanish_translation_and_reads_its_title(
    client, home, site, spanish, spanish_home
):
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    sobre = about.copy_for_translation(spanish)
    sobre.title, sobre.slug = "Quiénes somos", "quienes-somos"
    publish(sobre)
    programs = publish(StandardPageFactory(parent=home, title="Programs", slug="programs"))  # English only
    navigation = NavigationSettings.for_site(site)
    MenuItem.objects.create(settings=navigation, link_page=about, sort_order=0)
    MenuItem.objects.create(settings=navigation, link_page=programs, sort_order=1)
    MenuItem.objects.create(
        settings=navigation, link_url="https://example.org/", label="Our partners", label_es="Socios", sort_order=2
    )

    assert menu(client, "/") == [
        ("About us", "/about/"),
        ("Programs", "/programs/"),
        ("Our partners", "https://example.org/"),
    ]
    assert menu(client, "/es/") == [
        ("Quiénes somos", "/es/quienes-somos/"),
        ("Programs", "/programs/"),  # no Spanish version yet: the English page
        ("Socios", "https://example.org/"),
    ]
    spanish_page = html(client, "/es/quienes-somos/")
    assert spanish_page.select_one(".main-menu__link[aria-current]").get_text(strip=True) == "Quiénes somos"


def test_a_spanish_label_overrides_the_translated_title(client, home, site, spanish, spanish_home):
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    publish(about.copy_for_translation(spanish))
    MenuItem.objects.create(settings=NavigationSettings.for_site(site), link_page=about, label_es="El instituto")
    assert [text for text, _ in menu(client, "/es/")] == ["El instituto"]
    assert [text for text, _ in menu(client, "/")] == ["About us"]


def test_the_footer_shows_the_settings_and_the_offices_in_the_readers_language(
    client, organisation, spanish, spanish_home
):
    new_york = OfficeFactory(city="New York", country="United States", address="2 West 45th Street")
    nueva_york = new_york.copy_for_translation(spanish)
    nueva_york.city, nueva_york.country = "Nueva York", "Estados Unidos"
    nueva_york.save()
    OfficeFactory(city="Kampala", country="Uganda", address="Plot 5")  # not translated

    english = html(client, "/").select_one(".site-footer")
    assert english.select_one("h2").get_text(strip=True) == organisation.name
    cities = [city.get_text(strip=True) for city in english.select(".office-card__city")]
    assert cities == ["Kampala, Uganda", "New York, United States"]

    spanish_footer = html(client, "/es/").select_one(".site-footer")
    assert spanish_footer.select_one("h2").get_text(strip=True) == organisation.name_es
    assert organisation.tagline in spanish_footer.get_text()
    cities = [city.get_text(strip=True) for city in spanish_footer.select(".office-card__city")]
    assert cities == ["Kampala, Uganda", "Nueva York, Estados Unidos"]


def test_the_donate_call_speaks_spanish_and_leads_to_the_spanish_donate_page(
    client, home, organisation, spanish, spanish_home
):
    give = publish(StandardPageFactory(parent=home, title="Give", slug="give"))
    dona = give.copy_for_translation(spanish)
    dona.slug = "dona"
    publish(dona)
    organisation.donate_page = give
    organisation.donate_heading = "Help build a world that prevents genocide"
    organisation.donate_heading_es = "Ayúdanos a construir un mundo que prevenga el genocidio"
    organisation.save()

    english = html(client, "/").select_one(".donate-cta")
    assert english.select_one("h2").get_text(strip=True) == organisation.donate_heading
    assert english.select_one("a")["href"] == "/give/"
    spanish_call = html(client, "/es/").select_one(".donate-cta")
    assert spanish_call.select_one("h2").get_text(strip=True) == organisation.donate_heading_es
    assert spanish_call.select_one("a").get_text(strip=True) == "Donar"
    assert spanish_call.select_one("a")["href"] == "/es/dona/"


def test_receipts_in_spanish_carry_the_spanish_statement(organisation):
    assert organisation.in_language("es").receipt_statement == organisation.receipt_statement_es
    assert organisation.in_language("en").receipt_statement == organisation.receipt_statement
    assert organisation.receipt_statement_es != organisation.receipt_statement


def test_the_spanish_tab_of_the_organisation_settings_opens(admin_client, site, organisation):
    response = admin_client.get(f"/admin/settings/aipg_site/organisationsettings/{site.pk}/")
    assert response.status_code == 200
    assert b"name_es" in response.content
