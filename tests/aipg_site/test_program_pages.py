"""Program pages: structured facts, and the stories and resources filed under the program."""

import pytest
from bs4 import BeautifulSoup

from ..factories import (
    ProgramIndexPageFactory,
    ProgramPageFactory,
    ResourceLibraryPageFactory,
    ResourcePageFactory,
    SiteImageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(home):
    return ProgramPageFactory(parent=ProgramIndexPageFactory(parent=home), title="Latin America Program")


def file_under(program, home, stories=0, resources=0):
    image = SiteImageFactory()
    story_index = StoryIndexPageFactory(parent=home)
    library = ResourceLibraryPageFactory(parent=home)
    for number in range(stories):
        story = StoryPageFactory(parent=story_index, title=f"Story {number}", hero_image=image)
        story.programs.set([program])
        story.save_revision().publish()
    for number in range(resources):
        resource = ResourcePageFactory(parent=library, title=f"Resource {number}", year=1950 + number % 100)
        resource.programs.set([program])
        resource.save_revision().publish()


def test_lists_its_newest_stories_and_resources(client, home, program):
    file_under(program, home, stories=5, resources=5)
    soup = BeautifulSoup(client.get(program.url).content, "html.parser")
    stories = soup.find(id="program-stories-heading").find_parent("section")
    resources = soup.find(id="program-resources-heading").find_parent("section")
    assert len(stories.select(".card__title")) == 4
    assert [a.get_text() for a in resources.select(".card__title a")] == [f"Resource {n}" for n in (4, 3, 2, 1)]


def test_shows_no_empty_sections(client, program):
    page = client.get(program.url).content.decode()
    assert "Stories from this program" not in page
    assert "Resources from this program" not in page


@pytest.mark.parametrize("count", [5, 200])
def test_runs_a_fixed_number_of_queries(client, home, program, count, django_assert_num_queries):
    file_under(program, home, stories=count, resources=count)
    client.get(program.url)
    with django_assert_num_queries(20):
        assert client.get(program.url).status_code == 200
