import feedparser
import pytest

from ..factories import AnnualReportPageFactory, ResourcePageFactory
from ..translations import translate

pytestmark = pytest.mark.django_db


def test_lists_additions_newest_first_with_their_file_as_enclosure(client, library, collection, reports_index):
    ResourcePageFactory(parent=library, collection=collection, title="Older paper")
    newer = ResourcePageFactory(parent=library, collection=collection, title="Newer paper", authors="Jane Roe")
    AnnualReportPageFactory(parent=reports_index, title="Annual Report 2024", year=2024)
    feed = feedparser.parse(client.get("/feeds/library/rss/").content)
    assert [entry.title for entry in feed.entries] == ["Annual Report 2024", "Newer paper", "Older paper"]
    entry = feed.entries[1]
    assert entry.link == f"http://testserver{newer.url}"
    enclosure = entry.enclosures[0]
    assert enclosure.href == f"http://testserver{newer.url}download/"
    assert enclosure.type == "application/pdf"
    assert int(enclosure.length) == newer.document.file_size
    assert collection.name in [tag.term for tag in entry.tags]


def test_atom_feed_parses(client, library, collection):
    ResourcePageFactory(parent=library, collection=collection, title="A paper")
    feed = feedparser.parse(client.get("/feeds/library/atom/").content)
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["A paper"]


def test_is_a_404_without_a_library(client, home):
    assert client.get("/feeds/library/rss/").status_code == 404


def test_each_language_has_its_own_library_feed(client, home, library, collection):
    english = ResourcePageFactory(parent=library, collection=collection, title="A paper")
    ResourcePageFactory(parent=library, collection=collection, title="Not yet in Spanish")
    translate(home, title="Inicio")
    translate(library, title="Biblioteca")
    translate(english, title="Un documento")
    spanish = feedparser.parse(client.get("/es/feeds/library/atom/").content)
    assert [entry.title for entry in spanish.entries] == ["Un documento"]
    assert spanish.feed.language == "es"
    assert [entry.title for entry in feedparser.parse(client.get("/feeds/library/rss/").content).entries] == [
        "Not yet in Spanish",
        "A paper",
    ]
