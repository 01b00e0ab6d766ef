import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from aipg_site.models import OrganisationSettings
from stories.models import StoryRelatedLink

from ..factories import SiteImageFactory, StandardPageFactory, StoryPageFactory, TopicFactory
from ..queries import count_queries


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def donate_page(home):
    page = StandardPageFactory(parent=home, title="Give", slug="give")
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.donate_page = page
    organisation.save()
    return page


def test_warns_with_the_content_note_before_the_hero_image_and_the_donate_call(client, index, donate_page):
    story = StoryPageFactory(
        parent=index, content_note="This story describes mass killings.", hero_image=SiteImageFactory()
    )
    html = get_html(client, story.url)
    article = html.select_one("article.story")
    wanted = ["page-header__title", "content-note", "page-header__image", "donate-cta", "stream-body"]
    found = [next(name for name in wanted if name in element["class"]) for element in article.find_all(class_=wanted)]
    assert found == wanted
    assert "This story describes mass killings." in html.select_one(".content-note").text


def test_has_no_content_note_unless_the_editor_writes_one(client, index):
    html = get_html(client, StoryPageFactory(parent=index).url)
    assert html.select_one(".content-note") is None


def test_quotes_name_the_speaker_and_role(client, index):
    html = get_html(client, StoryPageFactory(parent=index).url)
    assert html.select_one(".quote__name").text == "A person"
    assert html.select_one(".quote__role").text == "A role"


def test_a_graphic_image_is_not_in_the_page_until_the_reader_asks(client, index):
    image = SiteImageFactory()
    body = [
        {"type": "image", "value": {"image": image.pk, "alt_text": "Calm", "graphic": False}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "Remains", "graphic": True, "warning": "Remains"}},
    ]
    html = get_html(client, StoryPageFactory(parent=index, body=body, content_note="Distressing images.").url)
    [hidden] = html.select(".graphic-image")
    assert "Graphic image: Remains" in hidden.select_one(".graphic-image__label").text
    # The image's markup waits in a <template>, which the browser neither shows nor loads.
    assert hidden.template.find("img")["alt"] == "Remains"
    assert [img["alt"] for img in html.select(".stream-body img")] == ["Calm"]
    # Without JavaScript, a link opens the image alone; with it, a button (hidden until the script runs).
    link = hidden.select_one("a.graphic-image__control")
    assert link.text == "View the image"
    assert link["href"].endswith(".jpg")
    button = hidden.select_one("button.graphic-image__control")
    assert button.text == "Show the image"
    assert button.has_attr("hidden")
    assert button["aria-expanded"] == "false"
    assert html.select_one('script[src*="graphic-image"]')


def test_loads_the_graphic_image_script_only_where_it_is_needed(client, index):
    html = get_html(client, StoryPageFactory(parent=index).url)
    assert html.select_one('script[src*="graphic-image"]') is None


def test_related_stories_start_with_the_chosen_then_share_topics(client, index):
    memory, other = TopicFactory(), TopicFactory()
    story = StoryPageFactory(parent=index, title="The story")
    chosen = StoryPageFactory(parent=index, title="Chosen")
    two_shared = StoryPageFactory(parent=index, title="Two topics shared")
    one_shared = StoryPageFactory(parent=index, title="One topic shared")
    StoryPageFactory(parent=index, title="Unrelated")
    newer_one_shared = StoryPageFactory(parent=index, title="Also one topic", date=chosen.date.replace(year=2025))
    for page, topics in [(story, [memory, other]), (two_shared, [memory, other]), (one_shared, [memory])]:
        page.topics.set(topics)
        page.save()
    newer_one_shared.topics.set([other])
    newer_one_shared.save()
    StoryRelatedLink.objects.create(page=story, story=chosen)

    html = get_html(client, story.url)
    related = [title.text.strip() for title in html.select(".related-stories .card__title")]
    assert related == ["Chosen", "Two topics shared", "Also one topic"]
    assert html.select_one(".read-more a")["href"] == index.url


def test_three_chosen_stories_need_no_topping_up(client, index):
    story = StoryPageFactory(parent=index)
    chosen = [StoryPageFactory(parent=index, title=f"Chosen {number}") for number in range(3)]
    for sort_order, page in enumerate(reversed(chosen)):
        StoryRelatedLink.objects.create(page=story, story=page, sort_order=sort_order)
    html = get_html(client, story.url)
    related = [title.text.strip() for title in html.select(".related-stories .card__title")]
    assert related == ["Chosen 2", "Chosen 1", "Chosen 0"]


def test_topics_link_to_the_filtered_index(client, index):
    story = StoryPageFactory(parent=index)
    story.topics.set([TopicFactory(slug="memory", name="Memory")])
    story.save()
    html = get_html(client, story.url)
    assert html.select_one(".tag-list a")["href"] == f"{index.url}?topic=memory"


def test_publishes_an_article_as_structured_data(client, index):
    story = StoryPageFactory(parent=index, title="What changed", hero_image=SiteImageFactory())
    html = get_html(client, story.url)
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Article"
    assert data["headline"] == "What changed"
    assert data["datePublished"] == "2024-03-01"
    assert data["url"] == f"http://testserver{story.url}"
    assert data["image"].startswith("http://testserver/")
    assert data["publisher"]["name"] == "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"


def test_a_story_costs_the_same_queries_with_two_related_stories_as_with_three_of_200(client, add_stories):
    """Related stories, the chosen one then those sharing a topic, come with their images in a fixed
    number of queries, however many stories share the topic. Among five stories only one other shares
    it, so the page shows two of its three: a query per related card would show."""
    story, chosen, _sharing = add_stories(3)
    StoryRelatedLink.objects.create(page=story, story=chosen)
    add_stories(2, topics=[])
    assert len(get_html(client, story.url).select(".related-stories .card")) == 2
    few = count_queries(client, story.url)
    add_stories(195)
    assert count_queries(client, story.url) == few
    related = get_html(client, story.url).select(".related-stories .card")
    assert related[0].select_one(".card__title").text.strip() == chosen.title
    assert len(related) == 3
    assert all(card.select_one(".card__image img") for card in related)
