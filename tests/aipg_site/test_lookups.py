"""Each worker keeps the site, the locales, the settings and every address's route for one page-cache
generation (aipg_site/lookups.py): a page costs fewer queries from its second reader on, and every
edit that changes what an address shows (a publish, an unpublish, a move, a new slug, privacy, a
setting) shows on the very next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from aipg_site.models import OrganisationSettings

from ..factories import StandardPageFactory
from ..translations import translate


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def about(home):
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    publish(StandardPageFactory(parent=about, title="Our history", slug="history"))
    return about


def get(url):
    return Client().get(url)


def queries(url):
    with CaptureQueriesContext(connection) as captured:
        assert get(url).status_code == 200
    return len(captured)


def test_a_page_costs_fewer_queries_once_its_address_is_known(about):
    get("/about/history/")  # starts the generation
    # The walk down the tree, the site, the locale and the privacy check are no longer read.
    assert queries("/about/history/") < queries_without_lookups("/about/history/")


def queries_without_lookups(url):
    from aipg_site import lookups

    original = lookups.kept
    lookups.kept = lambda key, compute: compute()
    try:
        return queries(url)
    finally:
        lookups.kept = original


def test_an_unpublished_page_is_gone_on_the_next_request(about):
    history = Page.objects.get(slug="history")
    for _ in range(2):
        assert get("/about/history/").status_code == 200
    history.unpublish()
    assert get("/about/history/").status_code == 404


def test_a_new_slug_moves_the_page_on_the_next_request(about):
    for _ in range(2):
        assert get("/about/history/").status_code == 200
    history = Page.objects.get(slug="history").specific
    history.slug = "our-story"
    publish(history)
    assert get("/about/history/").status_code != 200
    assert get("/about/our-story/").status_code == 200


def test_a_moved_page_is_found_at_its_new_address_on_the_next_request(home, about):
    for _ in range(2):
        assert get("/about/history/").status_code == 200
    Page.objects.get(slug="history").move(home, pos="last-child")
    # Wagtail leaves a redirect at the old address.
    assert get("/about/history/")["Location"] == "/history/"
    assert get("/history/").status_code == 200


def test_a_page_made_private_asks_for_its_password_on_the_next_request(about):
    for _ in range(2):
        assert b"Our history" in get("/about/history/").content
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    assert b'name="password"' in get("/about/history/").content


def test_a_page_made_public_again_shows_on_the_next_request(about):
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        assert b'name="password"' in get("/about/history/").content
    restriction.delete()
    assert b'name="password"' not in get("/about/history/").content


def test_a_setting_saved_shows_on_the_next_request(about):
    site = Site.objects.get(is_default_site=True)
    for _ in range(2):
        get("/about/")
    organisation = OrganisationSettings.for_site(site)
    organisation.name = "A name nobody used before"
    organisation.save()
    assert b"A name nobody used before" in get("/about/").content


def test_spanish_and_english_addresses_are_kept_apart(home, spanish_about):
    for _ in range(2):
        english, spanish = get("/about/"), get("/es/acerca/")
        assert english.status_code == spanish.status_code == 200
        assert english["Content-Language"] == "en"
        assert spanish["Content-Language"] == "es"
        assert b"Acerca de nosotros" in spanish.content
        assert b"Acerca de nosotros" not in english.content


@pytest.fixture
def spanish_about(home):
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    translate(home)
    return translate(about, title="Acerca de nosotros", slug="acerca")
