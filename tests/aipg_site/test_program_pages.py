"""Program pages: structured facts, and the stories and resources filed under the program."""

import factory
import pytest
from bs4 import BeautifulSoup

from ..bulk_pages import add_pages
from ..factories import (
    LibraryDocumentFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
    ResourceCollectionFactory,
    ResourceLibraryPageFactory,
    ResourcePageFactory,
    SiteImageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)
from ..queries import count_queries
from ..translations import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(home):
    return ProgramPageFactory(parent=ProgramIndexPageFactory(parent=home), title="Latin America Program")


@pytest.fixture
def file_under(program, home):
    """Files `stories` stories and `resources` resources under `program`, in bulk, numbered on from
    those filed before, with what their cards show: an image; a cover, a collection and a document."""
    story_index = StoryIndexPageFactory(parent=home)
    library = ResourceLibraryPageFactory(parent=home)
    image = SiteImageFactory()
    collection = ResourceCollectionFactory()
    document = LibraryDocumentFactory()
    filed = {"stories": 0, "resources": 0}

    def file(stories=0, resources=0):
        numbers = range(filed["stories"], filed["stories"] + stories)
        add_pages(
            StoryPageFactory,
            story_index,
            stories,
            title=factory.Iterator([f"Story {number}" for number in numbers]),
            hero_image=image,
            programs=[program],
        )
        numbers = range(filed["resources"], filed["resources"] + resources)
        add_pages(
            ResourcePageFactory,
            library,
            resources,
            title=factory.Iterator([f"Resource {number}" for number in numbers]),
            year=factory.Iterator([1950 + number % 100 for number in numbers]),
            cover_image=image,
            collection=collection,
            document=document,
            programs=[program],
        )
        filed["stories"] += stories
        filed["resources"] += resources

    return file


def test_lists_its_newest_stories_and_resources(client, program, file_under):
    file_under(stories=5, resources=5)
    soup = BeautifulSoup(client.get(program.url).content, "html.parser")
    stories = soup.find(id="program-stories-heading").find_parent("section")
    resources = soup.find(id="program-resources-heading").find_parent("section")
    assert len(stories.select(".card__title")) == 4
    assert [a.get_text() for a in resources.select(".card__title a")] == [f"Resource {n}" for n in (4, 3, 2, 1)]


def test_shows_no_empty_sections(client, program):
    page = client.get(program.url).content.decode()
    assert "Stories from this program" not in page
    assert "Resources from this program" not in page


def test_a_program_costs_the_same_queries_with_200_stories_and_resources_as_with_5(client, program, file_under):
    """Its stories and resources come with their images, documents and collections in a fixed number
    of queries. Two stories and three resources fill fewer cards than the four of each it shows."""
    file_under(stories=2, resources=3)
    few = count_queries(client, program.url)
    file_under(stories=98, resources=97)
    assert count_queries(client, program.url) == few
    soup = BeautifulSoup(client.get(program.url).content, "html.parser")
    assert len(soup.select(".card .card__image img")) == 4
    assert len(soup.select(".resource-card .resource-card__cover img")) == 4
    assert len(soup.select(".resource-card .file-facts")) == 4


def test_the_spanish_program_lists_the_translations_filed_under_the_english_program(client, home, program):
    """A translated story keeps its source's programs, English pages: the Spanish program page lists
    it all the same, and lists no English story."""
    stories = StoryIndexPageFactory(parent=home)
    story, untranslated = (StoryPageFactory(parent=stories, title=title) for title in ["Filed", "Not yet in Spanish"])
    for page in (story, untranslated):
        page.programs.set([program])
        page.save_revision().publish()
    translate(home, title="Inicio")
    translate(program.get_parent().specific, title="Programas")
    translate(stories, title="Historias")
    spanish_program = translate(program, title="Programa de América Latina")
    translate(story, title="Archivada en el programa")

    soup = BeautifulSoup(client.get(spanish_program.url).content, "html.parser")
    assert [title.get_text(strip=True) for title in soup.select(".card__title")] == ["Archivada en el programa"]
