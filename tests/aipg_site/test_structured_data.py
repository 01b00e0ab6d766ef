"""What the home page and the program pages tell search engines and link previews, and the logo they show."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from PIL import Image
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from ..factories import OfficeFactory, ProgramIndexPageFactory, ProgramPageFactory, SiteImageFactory

pytestmark = pytest.mark.django_db

LOGO_URL = "http://testserver/static/img/aipg-mark-512.png"


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(html):
    return json.loads(html.select_one('script[type="application/ld+json"]').string)


def meta(html, name):
    tag = html.select_one(f'meta[property="{name}"], meta[name="{name}"]')
    return tag["content"] if tag else None


@pytest.fixture
def program_index(home):
    return ProgramIndexPageFactory(parent=home, title="Programs")


def test_the_logo_is_a_square_raster_search_engines_accept():
    """Google asks for a raster logo of at least 112 px square; the SVG is the mark it was drawn from."""
    with Image.open(finders.find("img/aipg-mark-512.png")) as logo:
        assert logo.format == "PNG"
        assert logo.size == (512, 512)
    svg = BeautifulSoup(Path(finders.find("img/aipg-mark.svg")).read_text(), "html.parser")
    assert svg.svg["role"] == "img"
    assert svg.svg.title.string == "AIPG"


def test_the_organisation_has_its_logo_and_address(client, home):
    data = json_ld(get_html(client, "/"))["@graph"][0]
    assert data["@type"] == "NGO"
    assert data["name"] == "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    assert data["url"] == "http://testserver/"
    assert data["logo"] == {"@type": "ImageObject", "url": LOGO_URL, "width": 512, "height": 512}


def test_pages_that_are_not_articles_are_shared_as_a_website(client, home, program_index):
    for url in ("/", program_index.url):
        html = get_html(client, url)
        assert meta(html, "og:type") == "website"
        assert meta(html, "article:published_time") is None


def test_a_program_is_published_as_a_project_of_the_institute(client, program_index):
    program = ProgramPageFactory(
        parent=program_index,
        title="Latin America Program",
        geographical_scope="Latin America",
        start_year=2012,
        hero_image=SiteImageFactory(),
    )
    program.offices.set([OfficeFactory(city="Buenos Aires", country="Argentina")])
    program.save_revision().publish()
    data = json_ld(get_html(client, program.url))
    assert data["@type"] == "Project"
    assert data["name"] == "Latin America Program"
    assert data["url"] == f"http://testserver{program.url}"
    assert data["description"] == program.summary
    assert data["areaServed"] == "Latin America"
    assert data["foundingDate"] == "2012"
    assert data["location"] == [
        {
            "@type": "Place",
            "name": "Buenos Aires",
            "address": {"@type": "PostalAddress", "addressLocality": "Buenos Aires", "addressCountry": "Argentina"},
        }
    ]
    assert data["image"].startswith("http://testserver/")
    assert data["parentOrganization"]["url"] == "http://testserver/"
    assert data["parentOrganization"]["logo"]["url"] == LOGO_URL


def test_a_program_without_scope_offices_or_image_claims_none(client, program_index):
    program = ProgramPageFactory(parent=program_index, geographical_scope="", start_year=None)
    data = json_ld(get_html(client, program.url))
    assert not {"areaServed", "foundingDate", "location", "image"} & set(data)


def test_the_program_index_lists_its_programs_as_projects(client, program_index):
    first = ProgramPageFactory(parent=program_index, title="Global Raphael Lemkin Seminar")
    ProgramPageFactory(parent=program_index, title="Latin America Program")
    data = json_ld(get_html(client, program_index.url))
    assert data["@type"] == "CollectionPage"
    assert [project["name"] for project in data["mainEntity"]] == [
        "Global Raphael Lemkin Seminar",
        "Latin America Program",
    ]
    assert data["mainEntity"][0] == {
        "@type": "Project",
        "@id": f"http://testserver{first.url}#program",
        "name": "Global Raphael Lemkin Seminar",
        "url": f"http://testserver{first.url}",
    }


def test_the_default_social_image_carries_its_description_as_alt_text(client, home):
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.default_social_image = SiteImageFactory(description="Officials at a seminar in Oświęcim")
    organisation.save()
    html = get_html(client, "/")
    assert meta(html, "og:image").startswith("http://testserver/")
    assert meta(html, "og:image:alt") == "Officials at a seminar in Oświęcim"
    assert meta(html, "twitter:image:alt") == "Officials at a seminar in Oświęcim"


def test_an_image_without_a_description_gets_no_alt_tag_rather_than_its_title(client, home):
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.default_social_image = SiteImageFactory(title="IMG_2041.jpg", description="")
    organisation.save()
    html = get_html(client, "/")
    assert meta(html, "og:image") is not None
    assert meta(html, "og:image:alt") is None
    assert meta(html, "twitter:image:alt") is None
