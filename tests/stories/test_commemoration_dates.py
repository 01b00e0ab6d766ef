"""A commemoration's dates: "This day in past years" lists only days that have come, and a post is
dated on its observance's day unless the editor means otherwise."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stories.models import CommemorationPage, Observance

from ..factories import CommemorationPageFactory

pytestmark = pytest.mark.django_db

DAY_BEFORE = datetime.date(2026, 12, 8)
THE_DAY = datetime.date(2026, 12, 9)


@pytest.fixture
def today(monkeypatch):
    """`today(date)` makes `date` the site's today."""

    def freeze(date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date)

    return freeze


@pytest.fixture
def posts(index, genocide_day):
    """The 9 December posts of 2024 and 2025, and the 2026 one, published ahead of its day."""
    return {
        year: CommemorationPageFactory(parent=index, observance=genocide_day, year=year, title=f"Post of {year}")
        for year in (2024, 2025, 2026)
    }


def past_years(client, url):
    html = BeautifulSoup(client.get(url).content, "html.parser")
    return [link.text for link in html.select(".year-list a")]


def test_the_last_observed_year_turns_on_the_day_itself(genocide_day):
    assert genocide_day.last_observed_year(DAY_BEFORE) == 2025
    assert genocide_day.last_observed_year(THE_DAY) == 2026
    assert genocide_day.last_observed_year(datetime.date(2027, 1, 3)) == 2026
    leap_day = Observance(month=2, day=29)
    assert leap_day.last_observed_year(datetime.date(2027, 2, 28)) == 2027


def test_a_post_written_ahead_is_not_a_past_year_until_its_day(client, posts, today):
    today(DAY_BEFORE)
    assert past_years(client, posts[2025].url) == ["Post of 2024"]
    # This year's own page lists the years before it.
    assert past_years(client, posts[2026].url) == ["Post of 2025", "Post of 2024"]
    today(THE_DAY)
    assert past_years(client, posts[2025].url) == ["Post of 2026", "Post of 2024"]


def test_the_calendar_lists_this_years_post_once_its_day_has_come(client, calendar_page, posts, today):
    today(DAY_BEFORE)
    assert past_years(client, calendar_page.url) == ["Post of 2025", "Post of 2024"]
    today(THE_DAY)
    assert past_years(client, calendar_page.url) == ["Post of 2026", "Post of 2025", "Post of 2024"]


def test_every_demo_commemoration_is_dated_on_its_observances_day():
    call_command("load_demo_content", verbosity=0)
    posts = CommemorationPage.objects.select_related("observance")
    assert posts
    assert {post.title: post.date for post in posts} == {
        post.title: post.observance.date_in(post.year) for post in posts
    }


def edit(admin_client, post, date):
    return admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[post.pk]),
        {
            "title": post.title,
            "slug": post.slug,
            "observance": post.observance_id,
            "year": post.year,
            "date": date,
            "summary": post.summary,
            "body-count": "0",
            "related_links-TOTAL_FORMS": "0",
            "related_links-INITIAL_FORMS": "0",
            "related_links-MIN_NUM_FORMS": "0",
            "related_links-MAX_NUM_FORMS": "3",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )


def test_saving_a_post_dated_off_its_day_brings_a_reminder_not_a_refusal(admin_client, posts):
    post = posts[2025]
    response = edit(admin_client, post, "2025-12-10")
    reminder = "“Post of 2025” is dated 10 December 2025, but International Day of Commemoration is on 9 December 2025."
    assert reminder in [str(message).split(" If the post")[0] for message in response.context["messages"]]
    saved = CommemorationPage.objects.get(pk=post.pk).get_latest_revision_as_object()
    assert saved.date == datetime.date(2025, 12, 10)

    on_the_day = edit(admin_client, post, "2025-12-09")
    assert not any("is dated" in str(message) for message in on_the_day.context["messages"])


def test_the_editor_says_a_commemoration_is_dated_on_its_day(admin_client, posts):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[posts[2025].pk])).content.decode()
    date_panel = BeautifulSoup(html, "html.parser").select_one("[name=date]").find_parent(attrs={"data-panel": True})
    assert "the observance's day in that year" in date_panel.get_text(" ", strip=True)
