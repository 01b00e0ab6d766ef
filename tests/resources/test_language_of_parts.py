"""A resource in another language than the page's keeps its title and summary marked with that
language (WCAG 3.1.2): on its own page, on its cards and in the library's feeds."""

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.utils import translation

from resources.models import ResourcePage

from ..factories import ResourcePageFactory
from ..translations import translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SPANISH_TITLE = "Mecanismos nacionales para la prevención del genocidio"


@pytest.fixture
def spanish(library, collection):
    return ResourcePageFactory(
        parent=library,
        collection=collection,
        title=SPANISH_TITLE,
        summary="Qué es un mecanismo nacional y cómo se crea.",
        language="es",
    )


@pytest.fixture
def english(library, collection):
    return ResourcePageFactory(parent=library, collection=collection, title="National mechanisms", language="en")


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_its_page_marks_the_title_and_summary_and_nothing_else(client, spanish):
    html = get_html(client, spanish.url)
    assert html.html["lang"] == "en"
    header = html.select_one(".page-header")
    assert header.select_one("h1")["lang"] == "es"
    assert header.select_one(".page-header__summary")["lang"] == "es"
    # The site's own words around it (the breadcrumbs, the facts, the menu) stay in the page's language.
    assert [element.name for element in html.select("[lang]")] == ["html", "h1", "p"]
    assert json.loads(html.select_one('script[type="application/ld+json"]').string)["inLanguage"] == "es"


def test_a_resource_in_the_page_language_is_not_marked(client, english):
    html = get_html(client, english.url)
    assert html.select_one(".page-header h1").get("lang") is None
    assert html.select("[lang]") == [html.html]


def test_its_card_marks_the_title_and_summary(client, library, spanish, english):
    html = get_html(client, f"{library.url}?sort=newest")
    cards = {card.select_one(".card__title a").get_text(): card for card in html.select(".resource-card")}
    assert cards[SPANISH_TITLE].select_one(".card__title")["lang"] == "es"
    assert cards[SPANISH_TITLE].select_one(".card__summary")["lang"] == "es"
    assert cards[SPANISH_TITLE].select_one(".card__meta").get("lang") is None
    assert cards["National mechanisms"].select("[lang]") == []


def test_what_counts_as_foreign_follows_the_active_language(spanish, english):
    with translation.override("es-mx"):
        assert ResourcePage.objects.get(pk=spanish.pk).foreign_language == ""


def test_a_translation_is_written_in_its_own_language_whatever_the_documents(client, home, library, english):
    """The Spanish page of an English report has a Spanish title and summary: nothing on it is marked
    English, while its facts still say the document is in English."""
    translate(home)
    spanish_library = translate(library, title="Biblioteca")
    traduccion = translate(english, title="Mecanismos nacionales", summary="Qué son y cómo se crean.")
    page = get_html(client, traduccion.url)
    assert page.html["lang"] == "es"
    assert page.select("main [lang]") == []
    card = get_html(client, spanish_library.url).select_one(".resource-card")
    assert card.select_one(".card__title a").get_text(strip=True) == "Mecanismos nacionales"
    assert card.select("[lang]") == []
    assert json.loads(page.select_one('script[type="application/ld+json"]').string)["inLanguage"] == "en"


def test_feed_readers_read_each_items_language(client, spanish, english):
    rss = feedparser.parse(client.get("/feeds/library/rss/").content)
    assert not rss.bozo, rss.get("bozo_exception")
    assert rss.feed.language == "en"
    assert {entry.title: entry.get("language") for entry in rss.entries} == {
        SPANISH_TITLE: "es",
        "National mechanisms": None,
    }
    atom = feedparser.parse(client.get("/feeds/library/atom/").content)
    assert not atom.bozo, atom.get("bozo_exception")
    # In Atom an entry inherits the feed's language unless it gives its own.
    assert {entry.title: entry.title_detail.language for entry in atom.entries} == {
        SPANISH_TITLE: "es",
        "National mechanisms": "en",
    }


def test_atom_marks_the_entry_with_xml_lang(client, spanish, english):
    feed = ElementTree.fromstring(client.get("/feeds/library/atom/").content)
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}
    assert entries[SPANISH_TITLE].get(XML_LANG) == "es"
    assert entries["National mechanisms"].get(XML_LANG) is None


def test_rss_marks_the_item_with_dublin_core_language(client, spanish, english):
    feed = ElementTree.fromstring(client.get("/feeds/library/rss/").content)
    items = {item.findtext("title"): item for item in feed.iter("item")}
    assert items[SPANISH_TITLE].findtext(f"{DUBLIN_CORE}language") == "es"
    assert items["National mechanisms"].find(f"{DUBLIN_CORE}language") is None


def test_a_search_result_marks_the_title_and_summary(client, spanish, english):
    html = get_html(client, "/search/?q=mecanismos")
    result = html.select_one(".search-result")
    assert result.select_one(".search-result__title a").get_text(strip=True) == SPANISH_TITLE
    assert result.select_one(".search-result__title")["lang"] == "es"
    assert result.select_one(".search-result__summary")["lang"] == "es"
    assert result.select_one(".search-result__type").get("lang") is None
