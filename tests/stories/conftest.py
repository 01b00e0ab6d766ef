import datetime

import pytest

from ..factories import (
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
