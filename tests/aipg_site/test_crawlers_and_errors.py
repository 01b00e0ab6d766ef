import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from aipg_site.sitemaps import PageSitemap

from ..bulk_pages import add_pages
from ..factories import StandardPageFactory
from ..queries import count_queries

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client, url):
    tree = ET.fromstring(client.get(url).content)
    return [loc.text for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)]


def test_sitemap_lists_every_live_page(client, home):
    about = StandardPageFactory(parent=home, title="About us", slug="about")
    draft = StandardPageFactory(parent=home, title="Draft", slug="draft", live=False)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)] == [
        "http://testserver/sitemap-pages.xml"
    ]
    locations = set(sitemap_locations(client, "/sitemap-pages.xml"))
    assert "http://testserver/about/" in locations
    assert "http://testserver/" in locations
    assert all(draft.slug not in location for location in locations)
    assert about.slug


def test_a_large_site_is_split_into_sitemap_files_of_a_thousand_pages(client, home, monkeypatch):
    monkeypatch.setattr(PageSitemap, "limit", 2)
    StandardPageFactory.create_batch(3, parent=home)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    files = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert files == ["http://testserver/sitemap-pages.xml", "http://testserver/sitemap-pages.xml?p=2"]
    assert len(sitemap_locations(client, "/sitemap-pages.xml?p=2")) == 2


def test_robots_points_to_the_sitemap(client, home):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_missing_page_is_a_friendly_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert 'href="/search/"' in response.content.decode()


@pytest.mark.urls("tests.aipg_site.broken_urls")
def test_server_error_is_a_friendly_500_that_claims_nothing_untrue(home):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "We have been told" not in response.content.decode()  # nobody is set to be told


@pytest.mark.urls("tests.aipg_site.broken_urls")
def test_a_server_error_is_reported_to_the_admins(home, settings):
    settings.ADMINS = [("Site administrator", "webmaster@example.org")]
    response = Client(raise_request_exception=False).get("/broken/")
    assert "We have been told about it" in response.content.decode()
    [report] = mail.outbox
    assert report.to == ["webmaster@example.org"]
    assert "A deliberate failure for the 500-page test" in report.body


def test_the_django_admin_is_gone(client, home):
    assert client.get("/django-admin/").status_code == 404
    assert "django-admin" not in client.get("/robots.txt").content.decode()


def test_passwords_have_twelve_characters_at_least():
    with pytest.raises(ValidationError):
        validate_password("Xq7#mLp2!vZ")  # eleven, not common, not numeric
    validate_password("Xq7#mLp2!vZw")


def test_the_sitemap_index_costs_the_same_queries_at_any_size(client, home, monkeypatch):
    """Files of ten pages here, so that 200 pages make 21 files where 5 made one: a query per file
    (or per page) would show."""
    monkeypatch.setattr(PageSitemap, "limit", 10)
    add_pages(StandardPageFactory, home, 5)
    few = count_queries(client, "/sitemap.xml")
    add_pages(StandardPageFactory, home, 195)
    assert count_queries(client, "/sitemap.xml") == few
    assert len(ET.fromstring(client.get("/sitemap.xml").content).findall("sm:sitemap", SITEMAP_NS)) == 21


def test_the_sitemap_index_dates_itself_without_loading_every_page(client, home, monkeypatch):
    page = StandardPageFactory(parent=home, last_published_at=datetime(2024, 5, 20, tzinfo=UTC))

    def load_a_page(sitemap, item):
        raise AssertionError(f"the index loaded {item}")

    monkeypatch.setattr(PageSitemap, "lastmod", load_a_page)
    home.last_published_at = None
    home.latest_revision_created_at = None
    home.save()
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.find("sm:sitemap/sm:lastmod", SITEMAP_NS).text == "2024-05-20T00:00:00+00:00"
    assert page.pk
