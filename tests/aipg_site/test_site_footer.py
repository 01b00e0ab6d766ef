"""The footer prints each contact detail once: the organisation's, then every office with what is new."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from ..factories import OfficeFactory

HEADQUARTERS = "2 West 45th Street, Suite 1602\nNew York, NY 10036-4230\nUnited States"


@pytest.fixture
def organisation(home):
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Auschwitz Institute"
    organisation.address = HEADQUARTERS
    organisation.phone = "+1 212 575 2605"
    organisation.email = "info@example.org"
    organisation.save()
    return organisation


def _offices(client):
    html = BeautifulSoup(client.get("/").content, "html.parser")
    return {
        card.select_one(".office-card__city").get_text(): card.select_one("address")
        for card in html.select(".site-footer__offices .office-card")
    }


def test_the_headquarters_address_and_phone_are_printed_once(client, organisation):
    OfficeFactory(city="New York", country="United States", address=HEADQUARTERS, phone="+1 (212) 575-2605")
    html = BeautifulSoup(client.get("/").content, "html.parser")
    footer = html.select_one(".site-footer").get_text()
    assert footer.count("2 West 45th Street") == 1
    assert footer.count("575") == 1
    # The office is still listed, by its city, with nothing to repeat under it.
    assert _offices(client) == {"New York, United States": None}


def test_an_office_known_by_its_city_alone_shows_city_and_country_once(client, organisation):
    OfficeFactory(city="Oświęcim", country="Poland", address="Oświęcim\nPoland")
    OfficeFactory(city="Kampala", country="Uganda", address="Kampala, Uganda", email="kampala@example.org")
    offices = _offices(client)
    assert offices["Oświęcim, Poland"] is None
    assert offices["Kampala, Uganda"].get_text(" ", strip=True) == "Email: kampala@example.org"


def test_an_office_with_its_own_address_and_phone_shows_them(client, organisation):
    OfficeFactory(city="Buenos Aires", country="Argentina", address="Av. de Mayo 1370\nBuenos Aires", phone="+54 11 0")
    address = _offices(client)["Buenos Aires, Argentina"]
    assert address.select_one(".contact-block__address").get_text("\n") == "Av. de Mayo 1370\nBuenos Aires"
    assert address.select_one("a[href^='tel:']").get_text() == "+54 11 0"


def test_away_from_the_footer_an_office_gives_every_detail_it_has(organisation):
    office = OfficeFactory(city="New York", country="United States", address=HEADQUARTERS, phone="+1 212 575 2605")
    # An offices block on a page prints them all; the footer leaves out what it printed above.
    assert office.contact_details() == {"address": HEADQUARTERS, "phone": "+1 212 575 2605", "email": ""}
    assert office.contact_details(shown=organisation) == {"address": "", "phone": "", "email": ""}
