"""Each language lists its own stories: the Spanish index, home page, calendar and related stories
show Spanish pages only, and the English ones English pages only, however the two are linked."""

import datetime

import factory
import pytest
from bs4 import BeautifulSoup

from stories.models import StoryRelatedLink

from ..bulk_pages import add_pages
from ..factories import (
    CommemorationPageFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
    SiteImageFactory,
    StoryPageFactory,
    TopicFactory,
)
from ..queries import count_queries
from ..translations import translate


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(html, selector=".card__title"):
    return [title.text.strip() for title in html.select(selector)]


@pytest.fixture
def spanish_index(home, index):
    translate(home, title="Inicio")
    return translate(index, title="Historias")


@pytest.fixture
def story_in_both(index, spanish_index):
    """A story with its Spanish translation, and a story that has none yet."""
    topic = TopicFactory()
    story = StoryPageFactory(parent=index, title="Training in Buenos Aires", date=datetime.date(2024, 3, 1))
    story.topics.set([topic])
    story.save_revision().publish()
    StoryPageFactory(parent=index, title="Only in English", date=datetime.date(2024, 4, 1))
    return story, translate(story, title="Formación en Buenos Aires")


def test_the_spanish_index_lists_the_spanish_stories_and_the_english_one_the_english(
    client, index, spanish_index, story_in_both
):
    assert card_titles(get_html(client, spanish_index.url)) == ["Formación en Buenos Aires"]
    assert card_titles(get_html(client, index.url)) == ["Only in English", "Training in Buenos Aires"]


def test_the_home_page_shows_the_latest_stories_of_its_language(client, home, story_in_both):
    latest = "#latest-stories-heading + .card-grid .card__title"
    assert card_titles(get_html(client, "/es/"), latest) == ["Formación en Buenos Aires"]
    assert card_titles(get_html(client, "/"), latest) == ["Only in English", "Training in Buenos Aires"]


def test_the_year_filter_offers_the_years_of_the_languages_own_stories(client, index, spanish_index, story_in_both):
    StoryPageFactory(parent=index, title="English of 2019", date=datetime.date(2019, 1, 1))
    html = get_html(client, spanish_index.url)
    assert [option["value"] for option in html.select("select[name=year] option") if option["value"]] == ["2024"]


def test_a_program_filter_finds_translations_filed_under_the_english_program(client, home, index, spanish_index):
    """A translation keeps the programs of its source, which are English pages: the Spanish index
    offers the Spanish program, and choosing it finds them."""
    programs = ProgramIndexPageFactory(parent=home)
    program = ProgramPageFactory(parent=programs, title="Latin America", slug="latin-america")
    StoryPageFactory(parent=index, title="Filed elsewhere")
    story = StoryPageFactory(parent=index, title="Filed under the program")
    story.programs.set([program])
    story.save_revision().publish()
    translate(story, title="Archivada en el programa")
    translate(programs, title="Programas")
    translate(program, title="América Latina", slug="america-latina")

    html = get_html(client, spanish_index.url)
    assert [option.text for option in html.select("select[name=program] option")][1:] == ["América Latina"]
    assert card_titles(get_html(client, f"{spanish_index.url}?program=america-latina")) == ["Archivada en el programa"]


def test_related_stories_are_in_the_storys_language(client, index, spanish_index):
    """The Spanish story keeps its source's link to an English story: it shows that story's Spanish
    translation, and no English story fills the rest."""
    topic = TopicFactory()
    story, chosen, sharing = (StoryPageFactory(parent=index, title=title) for title in ["Story", "Chosen", "Sharing"])
    for page in (story, sharing):
        page.topics.set([topic])
        page.save_revision().publish()
    StoryRelatedLink.objects.create(page=story, story=chosen)
    story.save_revision().publish()
    translate(chosen, title="Elegida")
    spanish_story = translate(story, title="Historia")

    assert card_titles(get_html(client, spanish_story.url), ".related-stories .card__title") == ["Elegida"]
    assert card_titles(get_html(client, story.url), ".related-stories .card__title") == ["Chosen", "Sharing"]


def test_a_commemoration_and_the_calendar_list_the_past_years_in_their_language(
    client, home, index, spanish_index, calendar_page, genocide_day
):
    older = CommemorationPageFactory(parent=index, observance=genocide_day, year=2023, title="Post of 2023")
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2024, title="Post of 2024")
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2022, title="Post of 2022")
    spanish_calendar = translate(calendar_page, title="Conmemoraciones")
    translate(older, title="Publicación de 2023")
    spanish_post = translate(post, title="Publicación de 2024")

    html = get_html(client, spanish_post.url)
    assert card_titles(html, ".year-list a") == ["Publicación de 2023"]
    assert html.select_one(".story__commemorates a")["href"].startswith(spanish_calendar.url)
    html = get_html(client, spanish_calendar.url)
    assert card_titles(html, ".observance .year-list a") == ["Publicación de 2024", "Publicación de 2023"]
    html = get_html(client, calendar_page.url)
    assert card_titles(html, ".observance .year-list a") == ["Post of 2024", "Post of 2023", "Post of 2022"]


def test_a_second_post_in_the_same_language_is_still_refused(index, spanish_index, genocide_day):
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2024)
    translate(post, title="Publicación de 2024")
    second = CommemorationPageFactory.build(observance=genocide_day, year=2024, title="Otra", slug="otra")
    second.locale = spanish_index.locale
    with pytest.raises(Exception, match="already commemorates"):
        spanish_index.add_child(instance=second)


def test_the_spanish_index_costs_the_same_queries_with_200_stories_as_with_5(client, index, spanish_index):
    """The language's filter adds no query per story: 200 Spanish stories cost what 5 do, and the
    English index lists none of them."""
    image = SiteImageFactory()

    def add(count, first_day):
        days = [datetime.date(2020, 1, 1) + datetime.timedelta(days=first_day + number) for number in range(count)]
        add_pages(StoryPageFactory, spanish_index, count, hero_image=image, date=factory.Iterator(days))

    add(5, 0)
    few = count_queries(client, spanish_index.url)
    add(195, 5)
    assert count_queries(client, spanish_index.url) == few
    assert len(get_html(client, spanish_index.url).select(".card .card__image img")) == 12
    assert card_titles(get_html(client, index.url)) == []
