import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from ..factories import StandardPageFactory


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
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["foundingDate"] == "2008"
    assert {"@type": "PropertyValue", "name": "Government officials trained", "value": 7700} in data[
        "additionalProperty"
    ]


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


def test_runs_a_fixed_number_of_queries(client, home, donate_target, django_assert_num_queries):
    client.get("/")  # the first request fills Wagtail's per-site caches
    # 11 for the page, settings, menu and footer; 3 for the stories app's sections (the view
    # restrictions that keep private stories off the home page, the latest stories, the observances).
    with django_assert_num_queries(14):
        assert client.get("/").status_code == 200
