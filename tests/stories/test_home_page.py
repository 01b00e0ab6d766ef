import datetime

from bs4 import BeautifulSoup
from django.utils import timezone

from ..factories import ObservanceFactory
from ..queries import count_queries


def test_shows_the_latest_stories_and_the_upcoming_observances(client, home, calendar_page, make_stories):
    make_stories(5)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ObservanceFactory(name="Tomorrow's day", slug="tomorrow", month=tomorrow.month, day=tomorrow.day)
    html = BeautifulSoup(client.get("/").content, "html.parser")
    latest = [title.text.strip() for title in html.select("#latest-stories-heading + .card-grid .card__title")]
    assert latest == ["Story 4", "Story 3", "Story 2"]
    observance = html.select_one(".date-list li")
    assert "Tomorrow's day" in observance.text
    assert observance.time["datetime"] == tomorrow.isoformat()
    assert observance.a["href"] == f"{calendar_page.url}#tomorrow"


def test_the_home_page_costs_the_same_queries_with_two_stories_as_with_200(client, home, calendar_page, add_stories):
    """The latest stories' cards and the upcoming observances' links come in a fixed number of
    queries. Two stories and one observance fill fewer places than the home page has (three cards,
    four observances), so a query per card or per observance would show."""
    add_stories(2)  # with them, the observance their commemorations mark
    few = count_queries(client, "/")
    add_stories(198)
    ObservanceFactory.create_batch(5)
    assert count_queries(client, "/") == few
    html = BeautifulSoup(client.get("/").content, "html.parser")
    cards = html.select("#latest-stories-heading + .card-grid .card")
    assert len(cards) == 3
    assert all(card.select_one(".card__image img") for card in cards)
    assert "Commemoration" in cards[0].select_one(".card__meta").text
    assert len(html.select(".date-list a")) == 4
