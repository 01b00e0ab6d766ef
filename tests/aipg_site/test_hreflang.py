"""`hreflang` alternates name only pages that exist, live and public, in both languages, and each
names the other: search engines drop a pair that does not point back. The sitemap says the same."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale, Page, PageViewRestriction

from ..factories import StandardPageFactory, StoryIndexPageFactory, StoryPageFactory

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def translate(page, title):
    """The page's Spanish translation, published, as an editor leaves it after translating."""
    spanish = page.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.title = title
    spanish.save_revision().publish()
    return Page.objects.get(pk=spanish.pk).specific


@pytest.fixture
def site(home):
    """A site partly in Spanish: the home, About and the stories in both languages; the programme
    page's translation withdrawn, the board page's made private, the news page English only, and
    one page written in Spanish alone."""
    about = StandardPageFactory(parent=home, title="About us", slug="about")
    programmes = StandardPageFactory(parent=home, title="Programmes", slug="programmes")
    board = StandardPageFactory(parent=home, title="Board", slug="board")
    StandardPageFactory(parent=home, title="News", slug="news")
    stories = StoryIndexPageFactory(parent=home, title="Stories", slug="stories")
    story = StoryPageFactory(parent=stories, title="A workshop in Bogotá", slug="bogota-workshop")

    spanish_home = translate(home, "Inicio")
    translate(about, "Quiénes somos")
    translate(programmes, "Programas").unpublish()
    PageViewRestriction.objects.create(
        page=translate(board, "Consejo"), restriction_type=PageViewRestriction.PASSWORD, password="secreto"
    )
    translate(stories, "Historias")
    translate(story, "Un taller en Bogotá")
    StandardPageFactory(parent=spanish_home, title="Solo en español", slug="solo-en-espanol")
    return home


def alternates_in(html):
    head = BeautifulSoup(html, "html.parser").head
    return {link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate", hreflang=True)}


def path_of(url):
    return urlsplit(url).path


def crawl(client):
    """Every live page of the site, in both languages, as a visitor gets it: its alternates by address."""
    graph = {}
    for page in Page.objects.live().filter(depth__gt=1).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        graph[page.full_url] = alternates_in(response.content)
    return graph


def test_every_alternate_points_back_at_a_live_public_page_and_names_itself(client, site):
    graph = crawl(client)
    live_public = {page.full_url for page in Page.objects.live().public().filter(depth__gt=1)}

    for source, alternates in graph.items():
        if not alternates:
            continue
        assert alternates.get(_language_of(source)) == source, f"{source} does not name itself"
        assert alternates["x-default"] == alternates["en"], source
        for language, target in alternates.items():
            assert target in live_public, f"{source} names {target}, which is not live and public"
            assert client.get(path_of(target)).status_code == 200
            assert _language_of(target) == language or language == "x-default"
            assert graph[target].get(_language_of(source)) == source, f"{target} does not point back at {source}"


def test_alternates_only_between_pages_live_and_public_in_both_languages(client, site):
    graph = crawl(client)
    paired = {path_of(url) for url, alternates in graph.items() if alternates}
    assert paired == {
        "/",
        "/es/",
        "/about/",
        "/es/about/",
        "/stories/",
        "/es/stories/",
        "/stories/bogota-workshop/",
        "/es/stories/bogota-workshop/",
    }
    # The withdrawn translation, the private one and the pages in one language only name nothing.
    assert graph["http://testserver/programmes/"] == {}
    assert graph["http://testserver/board/"] == {}
    assert graph["http://testserver/news/"] == {}
    assert graph["http://testserver/es/solo-en-espanol/"] == {}


def test_alternates_are_absolute_and_the_canonical_stays_the_page_itself(client, site):
    head = BeautifulSoup(client.get("/es/about/").content, "html.parser").head
    assert head.find("link", rel="canonical")["href"] == "http://testserver/es/about/"
    assert alternates_in(str(head)) == {
        "en": "http://testserver/about/",
        "es": "http://testserver/es/about/",
        "x-default": "http://testserver/about/",
    }


def test_a_translation_going_live_adds_the_alternates_to_both_pages(client, site):
    assert alternates_in(client.get("/programmes/").content) == {}
    Page.objects.get(locale__language_code="es", title="Programas").specific.save_revision().publish()
    assert alternates_in(client.get("/programmes/").content)["es"] == "http://testserver/es/programmes/"
    assert alternates_in(client.get("/es/programmes/").content)["en"] == "http://testserver/programmes/"


def sitemap_alternates(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    alternates = {}
    for sitemap_url in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        urlset = ET.fromstring(client.get(path_of(sitemap_url.text)).content)
        for url in urlset.findall("sm:url", SITEMAP_NS):
            links = url.findall("xhtml:link", SITEMAP_NS)
            alternates[url.find("sm:loc", SITEMAP_NS).text] = {link.get("hreflang"): link.get("href") for link in links}
    return alternates


def test_the_sitemap_lists_both_languages_with_the_same_alternates_as_the_pages(client, site):
    in_sitemap = sitemap_alternates(client)
    graph = crawl(client)
    public = {url: alternates for url, alternates in graph.items() if url in in_sitemap}
    assert set(in_sitemap) == {page.full_url for page in Page.objects.live().public().filter(depth__gt=1)}
    assert "http://testserver/es/stories/bogota-workshop/" in in_sitemap
    assert "http://testserver/es/solo-en-espanol/" in in_sitemap
    assert "http://testserver/es/board/" not in in_sitemap
    assert "http://testserver/es/programmes/" not in in_sitemap
    assert in_sitemap == public


def _language_of(url):
    return "es" if path_of(url).startswith("/es/") else "en"
