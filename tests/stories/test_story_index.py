import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from ..factories import CommemorationPageFactory, RegionFactory, StoryPageFactory, TopicFactory
from ..queries import count_queries
from ..translations import spanish_locale


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(html):
    return [title.text.strip() for title in html.select(".card__title")]


@pytest.fixture
def filed(index):
    """Four posts filed under different topics, regions and years."""
    memory, warning = (
        TopicFactory(name="Memory", slug="memory"),
        TopicFactory(name="Early warning", slug="early-warning"),
    )
    americas, africa = RegionFactory(name="Americas", slug="americas"), RegionFactory(name="Africa", slug="africa")
    posts = {}
    for title, date, topics, regions in [
        ("Memory in the Americas 2023", datetime.date(2023, 5, 1), [memory], [americas]),
        ("Memory in Africa 2024", datetime.date(2024, 5, 1), [memory], [africa]),
        ("Warning in the Americas 2024", datetime.date(2024, 6, 1), [warning], [americas]),
    ]:
        post = StoryPageFactory(parent=index, title=title, date=date)
        post.topics.set(topics)
        post.regions.set(regions)
        post.save()
        posts[title] = post
    posts["Commemoration 2023"] = CommemorationPageFactory(parent=index, title="Commemoration 2023")
    return posts


def test_lists_stories_and_commemorations_newest_first(client, index, filed):
    html = get_html(client, index.url)
    assert card_titles(html) == [
        "Warning in the Americas 2024",
        "Memory in Africa 2024",
        "Commemoration 2023",
        "Memory in the Americas 2023",
    ]
    metas = [meta.text for meta in html.select(".card__meta")]
    assert "Commemoration · 9 December 2023" in metas
    assert "1 June 2024" in metas


def test_filters_combine(client, index, filed):
    html = get_html(client, f"{index.url}?topic=memory&region=americas")
    assert card_titles(html) == ["Memory in the Americas 2023"]
    html = get_html(client, f"{index.url}?topic=memory&year=2024")
    assert card_titles(html) == ["Memory in Africa 2024"]
    html = get_html(client, f"{index.url}?region=americas&year=2024&topic=early-warning")
    assert card_titles(html) == ["Warning in the Americas 2024"]


def test_the_filter_form_shows_the_chosen_values(client, index, filed):
    html = get_html(client, f"{index.url}?topic=memory&year=2024")
    assert html.select_one("#filter-topic option[selected]")["value"] == "memory"
    assert html.select_one("#filter-year option[selected]")["value"] == "2024"
    assert html.select_one("#filter-region option[selected]") is None


def test_removing_one_filter_keeps_the_others(client, index, filed):
    html = get_html(client, f"{index.url}?topic=memory&region=americas&page=1")
    links = {link.find_parent("li").text.split()[0]: link["href"] for link in html.select(".active-filters__remove")}
    assert parse_qs(urlsplit(links["Topic:"]).query) == {"region": ["americas"]}
    assert parse_qs(urlsplit(links["Region:"]).query) == {"topic": ["memory"]}


def test_pagination_keeps_the_filters(client, index, make_stories):
    make_stories(30)
    html = get_html(client, f"{index.url}?year=2020&page=2")
    next_links = [link["href"] for link in html.select(".pagination a")]
    assert next_links
    for href in next_links:
        assert parse_qs(urlsplit(href).query)["year"] == ["2020"]
    assert html.select_one(".pagination a[aria-current]").text.strip() == "2"


@pytest.mark.parametrize(
    "query",
    ["topic=no-such-topic", "region=%00%ff", "program=nothing", "year=abc", "year=99999999999", "page=-1", "page=abc"],
)
def test_bad_values_give_a_normal_page(client, index, filed, query):
    html = get_html(client, f"{index.url}?{query}")
    assert len(card_titles(html)) == 4
    if not query.startswith("page"):
        assert "is not a" in html.select_one(".notice").text


def test_a_story_filed_under_a_topic_in_both_languages_is_listed_once(client, index, filed):
    memory = filed["Memory in Africa 2024"].topics.get()
    memoria = memory.copy_for_translation(spanish_locale())
    memoria.name = "Memoria"
    memoria.save()
    story = filed["Memory in Africa 2024"]
    story.topics.add(memoria)
    story.save()
    html = get_html(client, f"{index.url}?topic=memory")
    assert card_titles(html) == ["Memory in Africa 2024", "Memory in the Americas 2023"]
    assert "2 posts filed under" in html.text


def test_a_filter_that_matches_nothing_shows_an_empty_state(client, index, filed):
    html = get_html(client, f"{index.url}?topic=early-warning&year=2023")
    assert card_titles(html) == []
    empty = html.select_one(".empty-state")
    assert "No stories match these filters" in empty.text
    assert "topic “Early warning” and year “2023”" in empty.text


def test_an_index_without_stories_says_so(client, index):
    html = get_html(client, index.url)
    assert "No stories yet" in html.select_one(".empty-state").text


def test_links_its_feeds_from_the_head(client, index):
    html = get_html(client, index.url)
    types = {link["type"] for link in html.select('head link[rel="alternate"]')}
    assert {"application/rss+xml", "application/atom+xml", "text/calendar"} <= types


def test_a_page_of_twelve_cards_costs_the_same_queries_as_a_page_of_five(client, index, add_stories):
    """Each card's image and kind (story or commemoration) come with the listing's own queries, and
    the filters and pages are counted once: 200 posts cost what 5 do, filtered or not."""
    topic = add_stories(5)[0].topics.get()
    urls = [index.url, f"{index.url}?topic={topic.slug}&year=2020"]
    few = [count_queries(client, url) for url in urls]
    add_stories(195)
    assert [count_queries(client, url) for url in urls] == few
    for url in urls:
        cards = get_html(client, url).select(".card")
        assert len(cards) == 12
        assert all(card.select_one(".card__image img") for card in cards)
        assert any("Commemoration" in card.select_one(".card__meta").text for card in cards)


def test_pages_in_the_second_half_list_the_same_stories_in_the_same_order(client, index):
    # Read from the other end of the listing (aipg_site.pagination); stories sharing a date keep their order too.
    stories = [
        StoryPageFactory(parent=index, title=f"Story {n}", date=datetime.date(2020, 1, n // 3 + 1)) for n in range(30)
    ]
    newest_first = [story.title for story in sorted(stories, key=lambda s: (s.date, s.pk), reverse=True)]
    for number in (1, 2, 3):
        assert (
            card_titles(get_html(client, f"{index.url}?page={number}")) == newest_first[(number - 1) * 12 : number * 12]
        )


def year_options(html):
    return [option["value"] for option in html.select('select[name="year"] option') if option["value"]]


def test_publishing_and_unpublishing_update_the_remembered_years_and_count(client, index, make_stories):
    make_stories(2)
    memory = TopicFactory(name="Memory", slug="memory")
    filtered = f"{index.url}?topic=memory"
    assert year_options(get_html(client, index.url)) == ["2020"]
    assert "0 posts" in get_html(client, filtered).select_one(".active-filters__summary").text

    story = StoryPageFactory(parent=index, date=datetime.date(2011, 5, 1), live=False)
    story.topics.set([memory])
    story.save_revision().publish()
    assert year_options(get_html(client, index.url)) == ["2020", "2011"]
    assert "1 post filed" in get_html(client, filtered).select_one(".active-filters__summary").text

    story.refresh_from_db()
    story.unpublish()
    assert year_options(get_html(client, index.url)) == ["2020"]
    assert "0 posts" in get_html(client, filtered).select_one(".active-filters__summary").text
