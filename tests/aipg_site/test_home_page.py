import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from aipg_site.models import MenuItem, NavigationSettings, OrganisationSettings, SocialAccount

from ..factories import OfficeFactory, StandardPageFactory
from ..queries import count_queries


@pytest.fixture
def donate_target(home):
    page = StandardPageFactory(parent=home, title="Give", slug="give")
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.donate_heading = "Help build a world that prevents genocide"
    organisation.donate_page = page
    organisation.save()
    return page


def test_shows_the_mission_and_headline_figures(client, home):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.mission_statement in html.select_one(".hero__mission").text
    figures = [item.select_one("dd").text for item in html.select(".figures-row__item")]
    assert figures == ["7,700+", "90+", "2008"]


def test_publishes_the_figures_as_structured_data(client, home):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    institute, *figures = json.loads(html.select_one('script[type="application/ld+json"]').string)["@graph"]
    assert institute["foundingDate"] == "2008"
    assert {
        "@type": "Observation",
        "observationAbout": {"@id": institute["@id"]},
        "variableMeasured": "Government officials trained",
        "value": 7700,
    } in figures


def test_donate_call_leads_to_the_chosen_page(client, home, donate_target):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    cta = html.select_one(".donate-cta")
    assert "Help build a world that prevents genocide" in cta.text
    assert cta.select_one("a")["href"] == donate_target.url


def test_sections_without_content_are_hidden(client, home):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert html.select_one("#latest-stories-heading") is None
    assert html.select_one("#observances-heading") is None
    assert html.select_one(".donate-cta") is None  # no donate page chosen yet


def test_the_menu_and_footer_cost_the_same_queries_with_eight_items_as_with_one(client, home, donate_target):
    """Every page carries the menu, the offices and the social accounts: they come in a fixed number
    of queries however many an editor adds."""
    site = Site.objects.get(is_default_site=True)
    navigation = NavigationSettings.for_site(site)
    organisation = OrganisationSettings.for_site(site)

    def add_one_of_each():
        MenuItem.objects.create(settings=navigation, link_page=StandardPageFactory(parent=home))
        OfficeFactory()
        SocialAccount.objects.create(settings=organisation, service="mastodon", url="https://example.org/@aipg")

    add_one_of_each()
    few = count_queries(client, "/")
    for _ in range(7):
        add_one_of_each()
    assert count_queries(client, "/") == few
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert len(html.select(".main-menu__link")) == 8
    assert len(html.select(".office-card")) == 8
    assert len(html.select(".social-links a")) == 8
