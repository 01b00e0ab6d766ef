"""What a frontend cache (Varnish, a CDN) is told: which responses it may keep and for how long
(Cache-Control), and which addresses it must forget after each kind of edit. Varnish itself is
started in test_varnish.py; here the purges go to a stand-in that notes them (the `cdn` fixture)."""

import io
import logging
import socket

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, Site

from aipg_site.cdn import HTTPBackend
from aipg_site.models import NavigationSettings

from ..factories import OfficeFactory, SiteImageFactory, StandardPageFactory


@pytest.fixture
def about(home):
    about = StandardPageFactory(parent=home, title="About us", slug="about")
    StandardPageFactory(parent=about, title="Our history", slug="history")
    return about


@pytest.fixture
def frontend_cache(settings):
    settings.FRONTEND_CACHE_MAX_AGE = 300
    settings.FRONTEND_CACHE_STALE_WHILE_REVALIDATE = 60


def cache_control(response):
    return {directive.strip() for directive in response.get("Cache-Control", "").split(",") if directive.strip()}


SHARED = {"public", "max-age=0", "s-maxage=300", "stale-while-revalidate=60"}


# Cache-Control ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page_cache_seconds", [0, 600], ids=["page cache off", "page cache on"])
def test_an_anonymous_page_may_be_kept_by_the_frontend_cache_whether_or_not_the_page_cache_is_on(
    settings, frontend_cache, about, page_cache_seconds
):
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    cache.clear()
    for response in (Client().get(about.url), Client().get(about.url)):
        assert cache_control(response) == SHARED


def test_a_listings_filters_and_the_search_page_may_be_kept(frontend_cache, about):
    assert cache_control(Client().get("/search/?q=history&page=1")) == SHARED
    assert cache_control(Client().get("/es/search/?q=historia")) == SHARED


def test_a_lifetime_a_view_gives_browsers_is_kept(frontend_cache, home):
    """robots.txt (and the feeds and calendars) tell browsers and calendar apps to wait an hour."""
    expected = {"public", "max-age=3600", "s-maxage=300", "stale-while-revalidate=60"}
    assert cache_control(Client().get("/robots.txt")) == expected


def test_without_a_frontend_cache_nothing_says_a_shared_cache_may_keep_a_page(about):
    directives = cache_control(Client().get(about.url))
    assert not any(directive.startswith("s-maxage") for directive in directives)
    assert "public" not in directives


def test_an_editors_page_is_private(frontend_cache, admin_client, about):
    assert "private" in cache_control(admin_client.get(about.url))
    assert not any(directive.startswith("s-maxage") for directive in cache_control(admin_client.get(about.url)))


def test_a_visitor_with_a_session_or_a_message_gets_a_private_page(frontend_cache, about):
    for cookie in ("sessionid", "messages"):
        client = Client()
        client.cookies[cookie] = "their own"
        assert cache_control(client.get(about.url)) == {"private"}


@pytest.mark.urls("tests.aipg_site.form_urls")
def test_a_page_that_sets_a_cookie_is_private(frontend_cache, home):
    response = Client().get("/form/")
    assert "csrftoken" in response.cookies
    assert cache_control(response) == {"private"}


@pytest.mark.parametrize("query", ["?foo=1", "?q=a&q=b"])
def test_a_query_no_page_reads_is_private(frontend_cache, about, query):
    """It would add an entry per invented query string to any shared cache."""
    assert cache_control(Client().get(about.url + query)) == {"private"}


def test_not_found_is_private(frontend_cache, home):
    """A 404 may become a page, or a redirect an editor adds, with no purge naming its address."""
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "private" in cache_control(response)


def test_a_page_type_that_opts_out_is_never_stored(frontend_cache, monkeypatch, about):
    from aipg_site.models import StandardPage

    monkeypatch.setattr(StandardPage, "cache_page", False, raising=False)
    directives = cache_control(Client().get(about.url))
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_documents_and_the_admin_are_private(frontend_cache, admin_client, home):
    assert "private" in cache_control(Client().get("/admin/login/"))
    assert "private" in cache_control(Client().get("/documents/1/missing.pdf"))


# What each edit purges ------------------------------------------------------------------------


def purged_by(cdn, action):
    cdn.clear()
    action()
    return set(cdn)


EVERY_PAGE = {"http://testserver/*"}


def test_a_publish_purges_the_page_its_listing_its_feeds_search_and_the_sitemap(cdn, about):
    history = about.get_children().get().specific
    assert purged_by(cdn, lambda: history.save_revision().publish()) == {
        "http://testserver/about/history/",  # the page (Wagtail's own purge)
        "http://testserver/about/",  # its parent, which lists it
        "http://testserver/",  # the home page
        "http://testserver/feeds/*",  # every feed and calendar file in its language
        "http://testserver/search/",  # with every query string (site.vcl bans by path)
        "http://testserver/sitemap.xml",
        "http://testserver/sitemap-pages.xml",
    }


def test_unpublishing_purges_the_same_addresses(cdn, about):
    history = about.get_children().get().specific
    published = purged_by(cdn, lambda: history.save_revision().publish())
    assert purged_by(cdn, history.unpublish) == published


def test_a_saved_draft_purges_nothing(cdn, about):
    about.title = "About the institute"
    assert purged_by(cdn, about.save_revision) == set()


def test_a_move_purges_every_page(cdn, home, about):
    """The page and every page below it change address, and the menus and listings that link to them change."""
    elsewhere = StandardPageFactory(parent=home, title="Elsewhere", slug="elsewhere")
    history = about.get_children().get()
    assert purged_by(cdn, lambda: history.move(elsewhere, pos="last-child")) >= EVERY_PAGE


def test_a_deleted_page_purges_its_address_and_listing(cdn, about):
    history = about.get_children().get()
    purged = purged_by(cdn, history.delete)
    assert {"http://testserver/about/history/", "http://testserver/about/"} <= purged


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda: OfficeFactory(city="Buenos Aires"), id="a snippet added"),
        pytest.param(lambda: OfficeFactory().delete(), id="a snippet deleted"),
        pytest.param(lambda: NavigationSettings.for_site(Site.objects.get()).save(), id="the menu"),
        pytest.param(lambda: SiteImageFactory(), id="an image"),
    ],
)
def test_what_every_page_shows_purges_every_page(cdn, about, edit):
    assert purged_by(cdn, edit) == EVERY_PAGE


def test_every_site_is_purged(cdn, about):
    Site.objects.create(hostname="other.example", port=8080, root_page=Page.objects.get(pk=about.pk))
    assert purged_by(cdn, lambda: OfficeFactory()) == {"http://testserver/*", "http://other.example:8080/*"}


# Sending the purges ----------------------------------------------------------------------------


def test_a_cache_that_never_answers_is_given_up_on_and_logged(caplog):
    """The task worker sends the purges: a hung cache must not hold it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers
    backend = HTTPBackend({"LOCATION": f"http://127.0.0.1:{silent.getsockname()[1]}", "TIMEOUT": 0.5})
    with caplog.at_level(logging.ERROR, logger="aipg_site.cdn"):
        backend.purge("http://testserver/about/")
    silent.close()
    assert "Could not purge http://testserver/about/" in caplog.text


def test_a_cache_that_is_down_is_logged(caplog):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    backend = HTTPBackend({"LOCATION": f"http://127.0.0.1:{port}"})
    with caplog.at_level(logging.ERROR, logger="aipg_site.cdn"):
        backend.purge("http://testserver/about/")
    assert "Could not purge http://testserver/about/" in caplog.text


def test_the_release_step_purges_every_page(cdn, about):
    """`purge_page_cache` after a deploy: no page naming the old static files is served."""
    assert purged_by(cdn, lambda: call_command("purge_page_cache", stdout=io.StringIO())) == EVERY_PAGE
