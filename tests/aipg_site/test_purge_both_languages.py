"""Publishing in one language refreshes every page that shows it, in both: the page cache at once,
and a CDN at each address that changed, the other language's version of the page included (its
language switcher and hreflang alternates name only live translations)."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Locale, Page, PageViewRestriction

from ..factories import (
    CommemorationPageFactory,
    ObservanceCalendarPageFactory,
    StandardPageFactory,
    StoryIndexPageFactory,
)


def translate(page, title, publish=True):
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.title = title
    revision = spanish.save_revision()
    if publish:
        revision.publish()
    return Page.objects.get(pk=spanish.pk).specific


@pytest.fixture
def about(home):
    return StandardPageFactory(parent=home, title="About us", slug="about")


@pytest.fixture
def spanish_home(home):
    return translate(home, "Inicio")


# What every publish in a language purges besides pages (aipg_site.cdn.paths_listing), tested on its own below.
LISTINGS = {
    "http://testserver/feeds/*",
    "http://testserver/es/feeds/*",
    "http://testserver/search/",
    "http://testserver/es/search/",
    "http://testserver/sitemap.xml",
    "http://testserver/sitemap-pages.xml",
}


def purged_by(cdn, action, listings=False):
    """The pages purged while `action` runs (and the feeds, search and sitemap too with `listings`)."""
    cdn.clear()
    action()
    return set(cdn) if listings else set(cdn) - LISTINGS


def test_a_spanish_page_going_live_purges_its_address_its_listing_and_the_english_page(cdn, about, spanish_home):
    sobre = translate(about, "Quiénes somos", publish=False)
    purged = purged_by(cdn, lambda: sobre.save_revision().publish())
    assert purged == {
        "http://testserver/es/about/",  # the page itself
        "http://testserver/es/",  # its listing, the Spanish home page
        "http://testserver/about/",  # the English page: its switcher and alternates now name it
    }


def test_an_english_page_published_purges_its_spanish_translation_too(cdn, about, spanish_home):
    translate(about, "Quiénes somos")
    purged = purged_by(cdn, lambda: about.save_revision().publish())
    assert purged == {"http://testserver/about/", "http://testserver/", "http://testserver/es/about/"}


def test_a_translation_withdrawn_purges_the_page_that_named_it(cdn, about, spanish_home):
    sobre = translate(about, "Quiénes somos")
    purged = purged_by(cdn, sobre.unpublish)
    assert "http://testserver/es/about/" in purged
    assert "http://testserver/about/" in purged


def test_a_publish_purges_its_languages_feeds_and_search_and_the_sitemap(cdn, about, spanish_home):
    """Each is purged by path: the cache drops every query string with it (the search page's
    queries, the sitemap's pages), and "/feeds/*" everything under /feeds/."""
    sitemap = {"http://testserver/sitemap.xml", "http://testserver/sitemap-pages.xml"}
    english = {"http://testserver/feeds/*", "http://testserver/search/"}
    spanish = {"http://testserver/es/feeds/*", "http://testserver/es/search/"}
    assert purged_by(cdn, lambda: about.save_revision().publish(), listings=True) & LISTINGS == english | sitemap
    sobre = translate(about, "Quiénes somos", publish=False)
    assert purged_by(cdn, lambda: sobre.save_revision().publish(), listings=True) & LISTINGS == spanish | sitemap
    sobre = Page.objects.get(pk=sobre.pk).specific
    assert purged_by(cdn, sobre.unpublish, listings=True) & LISTINGS == spanish | sitemap


def test_a_draft_translation_is_left_alone(cdn, about, spanish_home):
    """An English page whose translation is still a draft purges English addresses alone."""
    translate(about, "Quiénes somos", publish=False)
    assert purged_by(cdn, lambda: about.save_revision().publish()) == {"http://testserver/about/", "http://testserver/"}


def test_a_spanish_commemoration_purges_the_spanish_calendar(cdn, home, spanish_home):
    stories = StoryIndexPageFactory(parent=home, title="Stories", slug="stories")
    calendar = ObservanceCalendarPageFactory(parent=home)
    historias = translate(stories, "Historias")
    translate(calendar, "Conmemoraciones")
    # Written in Spanish first: a page of its own under the Spanish stories.
    conmemoracion = CommemorationPageFactory(parent=historias, slug="dia-de-las-victimas-2023", live=False)
    purged = purged_by(cdn, lambda: conmemoracion.save_revision().publish())
    assert "http://testserver/es/commemorations/" in purged
    assert "http://testserver/es/stories/" in purged
    assert "http://testserver/commemorations/" not in purged


def test_a_page_made_private_is_purged_with_the_pages_below_it_and_their_translations(cdn, about, spanish_home):
    """Its public copy must not outlive the privacy, and its translation no longer names it."""
    translate(about, "Quiénes somos")
    team = StandardPageFactory(parent=about, title="Our team", slug="team")
    translate(team, "Nuestro equipo")
    restriction = PageViewRestriction(page=about, restriction_type=PageViewRestriction.PASSWORD, password="x")
    purged = purged_by(cdn, restriction.save)
    section = {
        "http://testserver/about/",
        "http://testserver/about/team/",
        "http://testserver/es/about/",
        "http://testserver/es/about/team/",
    }
    # The whole site too ("/*"), for a cache that bans by prefix: the listings stop showing the page.
    assert purged == section | {"http://testserver/*"}
    assert purged_by(cdn, restriction.delete) == section | {"http://testserver/*"}


class TestThePageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600
        cache.clear()

    def test_a_translation_going_live_retires_the_cached_page_in_the_other_language(self, about, spanish_home):
        sobre = translate(about, "Quiénes somos", publish=False)
        Client().get("/about/")
        assert Client().get("/about/")["X-Page-Cache"] == "hit"
        sobre.save_revision().publish()
        fresh = Client().get("/about/")
        assert fresh["X-Page-Cache"] == "miss"
        assert 'hreflang="es" href="http://testserver/es/about/"' in fresh.content.decode()

    def test_a_spanish_page_published_retires_the_cached_spanish_listing(self, about, spanish_home):
        Client().get("/es/")
        assert Client().get("/es/")["X-Page-Cache"] == "hit"
        translate(about, "Quiénes somos")
        assert Client().get("/es/")["X-Page-Cache"] == "miss"
