"""Topics and regions in the reader's language: a Spanish story names its topics in Spanish, the
Spanish filters list each topic once under its Spanish name, and a filter finds the stories filed
under the topic in either language."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from ..factories import StoryPageFactory, TopicFactory


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def memory(spanish):
    """A topic with its Spanish translation, as a translator leaves it (the slug stays the same)."""
    topic = TopicFactory(name="Memorialization", slug="memorialization")
    memoria = topic.copy_for_translation(spanish)
    memoria.name = "Memorialización"
    memoria.save()
    return topic


def test_a_spanish_story_and_the_spanish_filters_name_the_topic_in_spanish(client, index, memory, spanish):
    untranslated = TopicFactory(name="Early warning", slug="early-warning")
    story = publish(StoryPageFactory(parent=index, title="Remembering together", topics=[memory, untranslated]))
    other = publish(StoryPageFactory(parent=index, title="Unfiled"))
    publish(index.get_parent().specific.copy_for_translation(spanish))
    spanish_index = publish(index.copy_for_translation(spanish))
    spanish_story = publish(story.copy_for_translation(spanish))
    publish(other.copy_for_translation(spanish))

    story_page = client.get(spanish_story.url).text
    assert "Memorialización" in story_page
    assert "Early warning" in story_page  # not translated: the English name
    assert "Memorialization" not in story_page
    assert "Memorialization" in client.get(story.url).text

    listing = BeautifulSoup(client.get(spanish_index.url).content, "html.parser")
    options = [option.get_text(strip=True) for option in listing.select("select[name=topic] option")][1:]
    assert sorted(options) == ["Early warning", "Memorialización"]

    filtered = BeautifulSoup(client.get(spanish_index.url, {"topic": "memorialization"}).content, "html.parser")
    assert "Remembering together" in filtered.get_text()
    assert "Unfiled" not in filtered.get_text()
