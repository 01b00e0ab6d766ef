import datetime

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from dateutil.rrule import rrulestr
from django.utils import timezone

from ..factories import CommemorationPageFactory, ObservanceFactory, StoryPageFactory, TopicFactory
from ..translations import translate


@pytest.fixture
def posts(index, genocide_day):
    story = StoryPageFactory(parent=index, title="A story of impact", date=datetime.date(2024, 6, 1))
    story.topics.set([TopicFactory(name="Memory")])
    story.save()
    commemoration = CommemorationPageFactory(
        parent=index, title="2023 commemoration", observance=genocide_day, year=2023, date=datetime.date(2023, 12, 9)
    )
    return story, commemoration


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_story_feed_lists_stories_and_commemorations(client, index, posts, kind):
    response = client.get(f"/feeds/stories/{kind}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.link == f"http://testserver{index.url}"
    assert [entry.title for entry in feed.entries] == ["A story of impact", "2023 commemoration"]
    story = feed.entries[0]
    assert story.link == f"http://testserver{posts[0].url}"
    assert story.summary == posts[0].summary
    assert story.published_parsed[:3] == (2024, 6, 1)
    assert [tag.term for tag in story.tags] == ["Memory"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_commemoration_feed_lists_only_commemorations(client, posts, kind):
    feed = feedparser.parse(client.get(f"/feeds/commemorations/{kind}/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["2023 commemoration"]


def test_feeds_leave_out_drafts(client, index, posts):
    StoryPageFactory(parent=index, title="Not yet", live=False)
    feed = feedparser.parse(client.get("/feeds/stories/rss/").content)
    assert "Not yet" not in [entry.title for entry in feed.entries]


def test_feeds_without_a_story_index_are_not_found(client, home):
    assert client.get("/feeds/stories/rss/").status_code == 404


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_has_a_yearly_all_day_event_per_observance(client, calendar_page, genocide_day):
    ObservanceFactory(slug="january", name="January day", month=1, day=27, established_year=2005)
    calendar = parse_calendar(client.get("/feeds/observances.ics"))
    assert calendar["VERSION"] == "2.0"
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"International Day of Commemoration", "January day"}
    event = events["International Day of Commemoration"]
    assert event.decoded("DTSTART") == datetime.date(2015, 12, 9)  # a date: all day, no time zone
    assert event.decoded("DTEND") == datetime.date(2015, 12, 10)
    assert event["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(event["UID"]) == f"observance-{genocide_day.pk}@testserver"
    assert str(event["URL"]) == f"http://testserver{calendar_page.url}#genocide-prevention-day"
    assert "the United Nations General Assembly (Resolution 69/323)" in str(event["DESCRIPTION"])


def test_a_year_with_a_post_links_its_occurrence_to_the_post(client, index, genocide_day, today):
    today(datetime.date(2026, 6, 1))
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2026, title="Post of 2026")
    events = parse_calendar(client.get("/feeds/observances/genocide-prevention-day.ics")).walk("VEVENT")
    series, occurrence = events
    assert occurrence["UID"] == series["UID"]
    assert occurrence.decoded("RECURRENCE-ID") == datetime.date(2026, 12, 9)
    assert str(occurrence["URL"]) == f"http://testserver{post.url}"
    assert "Post of 2026" in str(occurrence["DESCRIPTION"])
    rule = rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.decoded("DTSTART"))
    assert datetime.datetime(2026, 12, 9) in rule  # the override replaces a real occurrence


@pytest.fixture
def today(monkeypatch):
    """Sets the day the calendar files are made on."""

    def freeze(date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date)

    return freeze


def test_the_calendar_links_the_posts_of_last_year_this_year_and_next_and_says_so(client, index, genocide_day, today):
    today(datetime.date(2026, 6, 1))
    for year in (2020, 2024, 2025, 2026, 2027, 2028):
        CommemorationPageFactory(parent=index, observance=genocide_day, year=year, title=f"Post of {year}")
    for path in ("/feeds/observances.ics", "/feeds/observances/genocide-prevention-day.ics"):
        calendar = parse_calendar(client.get(path))
        series, *occurrences = calendar.walk("VEVENT")
        assert [occurrence.decoded("RECURRENCE-ID").year for occurrence in occurrences] == [2025, 2026, 2027]
        assert "2025 to 2027" in str(calendar["X-WR-CALDESC"])
        # Every year's day is still in the calendar: the event repeats every year, posts or not.
        rule = rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.decoded("DTSTART"))
        assert datetime.datetime(2020, 12, 9) in rule
        assert datetime.datetime(2040, 12, 9) in rule


def test_the_calendar_file_is_as_long_however_many_years_of_posts_there_are(client, index, genocide_day, today):
    today(datetime.date(2026, 6, 1))
    sizes = []
    for years in (range(2025, 2027), range(1990, 2025)):
        for year in years:
            CommemorationPageFactory(parent=index, observance=genocide_day, year=year, title=f"A post of {year}")
        sizes.append(len(parse_calendar(client.get("/feeds/observances.ics")).walk("VEVENT")))
    assert sizes == [3, 3]


def test_uids_stay_the_same_when_the_observance_changes(client, genocide_day):
    first = parse_calendar(client.get("/feeds/observances.ics")).walk("VEVENT")[0]["UID"]
    genocide_day.description = "Reworded."
    genocide_day.save()
    assert parse_calendar(client.get("/feeds/observances.ics")).walk("VEVENT")[0]["UID"] == first


def test_29_february_recurs_on_the_last_day_of_february(client, db):
    ObservanceFactory(slug="leap", month=2, day=29, established_year=2024)
    event = parse_calendar(client.get("/feeds/observances.ics")).walk("VEVENT")[0]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART"))
    assert [day.date() for day in rule[:3]] == [
        datetime.date(2024, 2, 29),
        datetime.date(2025, 2, 28),
        datetime.date(2026, 2, 28),
    ]


def test_one_observance_has_its_own_calendar(client, genocide_day):
    ObservanceFactory(slug="other")
    calendar = parse_calendar(client.get("/feeds/observances/genocide-prevention-day.ics"))
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["International Day of Commemoration"]
    assert client.get("/feeds/observances/no-such-day.ics").status_code == 404


def test_the_commemoration_feed_has_its_own_id_and_links(client, posts, calendar_page):
    stories = feedparser.parse(client.get("/feeds/stories/atom/").content).feed
    commemorations = feedparser.parse(client.get("/feeds/commemorations/atom/").content).feed
    assert stories.id == "http://testserver/feeds/stories/atom/"
    assert commemorations.id == "http://testserver/feeds/commemorations/atom/"
    assert commemorations.link == f"http://testserver{calendar_page.url}"
    self_links = [link.href for link in commemorations.links if link.rel == "self"]
    assert self_links == ["http://testserver/feeds/commemorations/atom/"]
    rss = feedparser.parse(client.get("/feeds/commemorations/rss/").content).feed
    assert rss.link == f"http://testserver{calendar_page.url}"


def test_without_a_calendar_the_commemoration_feed_links_to_the_stories(client, index, posts):
    feed = feedparser.parse(client.get("/feeds/commemorations/atom/").content).feed
    assert feed.link == f"http://testserver{index.url}"


# Each language ---------------------------------------------------------------------------------


@pytest.fixture
def spanish_posts(home, index, calendar_page, posts):
    """The story index, the calendar and the commemoration in Spanish; the story not yet."""
    translate(home, title="Inicio")
    spanish_index = translate(index, title="Historias")
    spanish_calendar = translate(calendar_page, title="Conmemoraciones", slug="conmemoraciones")
    translate(posts[1], title="Conmemoración de 2023")
    return spanish_index, spanish_calendar


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_each_language_has_its_own_feeds_of_its_own_posts(client, posts, spanish_posts, kind):
    english = feedparser.parse(client.get(f"/feeds/stories/{kind}/").content)
    spanish = feedparser.parse(client.get(f"/es/feeds/stories/{kind}/").content)
    assert [entry.title for entry in english.entries] == ["A story of impact", "2023 commemoration"]
    assert [entry.title for entry in spanish.entries] == ["Conmemoración de 2023"]
    assert (english.feed.language, spanish.feed.language) == ("en", "es")
    assert spanish.feed.link == f"http://testserver{spanish_posts[0].url}"


def test_the_spanish_commemoration_feed_links_to_the_spanish_calendar(client, posts, spanish_posts):
    feed = feedparser.parse(client.get("/es/feeds/commemorations/atom/").content).feed
    assert feed.id == "http://testserver/es/feeds/commemorations/atom/"
    assert feed.link == "http://testserver/es/conmemoraciones/"


def test_a_language_without_its_story_index_has_no_story_feed(client, home, index, posts):
    translate(home, title="Inicio")
    assert client.get("/es/feeds/stories/rss/").status_code == 404


def test_pages_link_the_feeds_of_their_language(client, posts, spanish_posts):
    spanish = BeautifulSoup(client.get(spanish_posts[0].url).content, "html.parser")
    english = BeautifulSoup(client.get("/stories/").content, "html.parser")
    spanish_feeds = [link["href"] for link in spanish.select('head link[rel="alternate"][type^="application/"]')]
    english_feeds = [link["href"] for link in english.select('head link[rel="alternate"][type^="application/"]')]
    assert len(spanish_feeds) == len(english_feeds) == 4
    assert all(href.startswith("/es/feeds/") for href in spanish_feeds)
    assert all(href.startswith("/feeds/") for href in english_feeds)
    assert spanish.select_one('head link[type="text/calendar"]')["href"] == "/es/feeds/observances.ics"


def test_the_spanish_calendar_links_to_the_spanish_calendar_page_and_posts(
    client, genocide_day, posts, spanish_posts, today
):
    today(datetime.date(2024, 3, 1))  # the 2023 post is last year's
    english, spanish = (
        parse_calendar(client.get(f"{prefix}/feeds/observances/genocide-prevention-day.ics")) for prefix in ("", "/es")
    )
    series, occurrence = spanish.walk("VEVENT")
    assert str(series["URL"]) == "http://testserver/es/conmemoraciones/#genocide-prevention-day"
    assert "Conmemoración de 2023" in str(occurrence["DESCRIPTION"])
    assert str(spanish["PRODID"]).endswith("//ES")
    # A calendar app that subscribes to both keeps them apart; English keeps the UIDs it always had.
    assert str(english.walk("VEVENT")[0]["UID"]) == f"observance-{genocide_day.pk}@testserver"
    assert str(series["UID"]) == f"observance-{genocide_day.pk}-es@testserver"
