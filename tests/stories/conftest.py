import datetime

import factory
import pytest

from ..bulk_pages import add_pages
from ..factories import (
    CommemorationPageFactory,
    ObservanceCalendarPageFactory,
    ObservanceFactory,
    SiteImageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    TopicFactory,
)


@pytest.fixture
def index(home):
    return StoryIndexPageFactory(parent=home)


@pytest.fixture
def calendar_page(home):
    return ObservanceCalendarPageFactory(parent=home)


@pytest.fixture
def genocide_day(db):
    return ObservanceFactory(name="International Day of Commemoration", slug="genocide-prevention-day", month=12, day=9)


@pytest.fixture
def make_stories(index):
    """`count` stories a day apart, newest first by date, sharing one image and one topic."""

    def make(count, **fields):
        image = SiteImageFactory()
        topic = TopicFactory()
        stories = []
        for number in range(count):
            story = StoryPageFactory(
                parent=index,
                title=f"Story {number}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
                hero_image=image,
                **fields,
            )
            story.topics.set([topic])
            story.save()
            stories.append(story)
        return stories

    return make


@pytest.fixture
def add_stories(index):
    """Adds `count` posts in bulk, a day apart and each newer than the last, with what cards show of
    them: every fifth is a commemoration (of one observance, a year apart), and all share one image
    and one topic unless `fields` say otherwise. Returns the posts added, oldest first."""
    image = SiteImageFactory()
    topic = TopicFactory()
    observance = ObservanceFactory()
    added_before = 0

    def add(count, **fields):
        nonlocal added_before
        numbers = range(added_before, added_before + count)
        added_before += count
        fields = {"hero_image": image, "topics": [topic], **fields}
        stories = [number for number in numbers if number % 5 != 4]
        commemorations = [number for number in numbers if number % 5 == 4]
        added = add_pages(StoryPageFactory, index, len(stories), date=day_by_day(stories), **fields)
        added += add_pages(
            CommemorationPageFactory,
            index,
            len(commemorations),
            observance=observance,
            year=factory.Iterator([1950 + number // 5 for number in commemorations]),
            # What saving a post fills in, which pages written in bulk are not.
            post_locale_id=index.locale_id,
            date=day_by_day(commemorations),
            **fields,
        )
        return sorted(added, key=lambda post: post.date)

    return add


def day_by_day(numbers):
    """A date for each of `numbers`, that many days into 2020."""
    return factory.Iterator([datetime.date(2020, 1, 1) + datetime.timedelta(days=number) for number in numbers])
