import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from ..factories import ObservanceFactory


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


@pytest.mark.parametrize("count", [5, 200])
def test_runs_a_fixed_number_of_queries_with_stories(client, home, calendar_page, make_stories, count,
                                                     django_assert_num_queries):  # fmt: skip
    make_stories(count)
    ObservanceFactory()
    client.get("/")
    # Page, settings, menu and footer; the latest stories, their card images; the observances and the
    # calendar page they link to. No donate page is chosen here, hence one fewer than aipg_site's test.
    with django_assert_num_queries(15):
        assert client.get("/").status_code == 200
