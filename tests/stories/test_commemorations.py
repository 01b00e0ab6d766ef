import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from stories.models import CommemorationPage

from ..factories import CommemorationPageFactory, ObservanceFactory
from ..queries import count_queries


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def commemoration_form(client, index, observance, year, title):
    """The editor's add form as a browser would post it, filled in and published."""
    add_url = reverse("wagtailadmin_pages:add", args=["stories", "commemorationpage", index.pk])
    data = querydict_from_html(client.get(add_url).content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": title,
            "slug": f"post-{year}-{observance.slug}",
            "observance": observance.pk,
            "year": year,
            "date": f"{year}-12-09",
            "summary": "We remember.",
            "body-count": "0",
            "action-publish": "publish",
        }
    )
    return add_url, data


def test_a_second_post_for_the_same_observance_and_year_is_refused_by_name(admin_client, index, genocide_day):
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2026, title="2026 first post")
    add_url, data = commemoration_form(admin_client, index, genocide_day, 2026, "A second post")
    response = admin_client.post(add_url, data)
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["form"].errors["year"]
    assert errors == [
        "“2026 first post” already commemorates International Day of Commemoration in 2026. "
        "Edit that post instead, or choose another year."
    ]
    assert CommemorationPage.objects.filter(observance=genocide_day, year=2026).count() == 1


def test_another_year_of_the_same_observance_is_accepted(admin_client, index, genocide_day):
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2025)
    add_url, data = commemoration_form(admin_client, index, genocide_day, 2026, "2026 post")
    response = admin_client.post(add_url, data)
    assert response.status_code == 302
    assert CommemorationPage.objects.get(year=2026).live


def test_the_database_holds_the_rule_too(index, genocide_day):
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2026)
    second = CommemorationPageFactory(parent=index, observance=genocide_day, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommemorationPage.objects.filter(pk=second.pk).update(year=2026)


def test_copying_a_commemoration_is_refused(admin_client, index, genocide_day):
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2026)
    response = admin_client.get(reverse("wagtailadmin_pages:copy", args=[post.pk]), follow=True)
    assert "Commemorations cannot be copied" in response.content.decode()
    assert CommemorationPage.objects.count() == 1


def test_the_page_names_its_observance_and_its_other_years(client, index, calendar_page, genocide_day):
    older = CommemorationPageFactory(parent=index, observance=genocide_day, year=2023, title="Post of 2023")
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2026, title="Post of 2026")
    CommemorationPageFactory(parent=index, year=2024, title="Another observance's post")
    html = get_html(client, post.url)
    marking = html.select_one(".story__commemorates")
    assert "International Day of Commemoration" in marking.text
    assert "9 December 2026" in marking.text
    assert marking.a["href"] == f"{calendar_page.url}#genocide-prevention-day"
    assert [link.text for link in html.select(".year-list a")] == ["Post of 2023"]
    assert html.select_one(".year-list a")["href"] == older.url
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Article"
    assert data["about"]["@type"] == "Schedule"
    assert data["about"]["url"] == f"http://testserver{calendar_page.url}#genocide-prevention-day"
    assert data["temporalCoverage"] == "2026-12-09"


def test_the_calendar_lists_the_next_observance_first_with_its_posts_by_year(
    client, index, calendar_page, genocide_day
):
    ObservanceFactory(name="Later", slug="later", month=genocide_day.month, day=genocide_day.day)
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2023, title="Post of 2023")
    CommemorationPageFactory(parent=index, observance=genocide_day, year=2024, title="Post of 2024")
    html = get_html(client, calendar_page.url)
    sections = html.select(".observance")
    assert sections[0]["id"] == "genocide-prevention-day"
    assert [link.text for link in sections[0].select(".year-list a")] == ["Post of 2024", "Post of 2023"]
    assert sections[0].select_one("a[href$='.ics']")["href"] == "/feeds/observances/genocide-prevention-day.ics"
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert {observance["@type"] for observance in data["mainEntity"]} == {"Schedule"}
    assert data["mainEntity"][0]["name"] == "International Day of Commemoration"


def test_the_calendar_without_observances_says_so(client, calendar_page):
    html = get_html(client, calendar_page.url)
    assert "No observances yet" in html.select_one(".empty-state").text


def test_a_commemoration_costs_the_same_queries_among_200_posts_as_among_5(client, calendar_page, add_stories):
    """Its past years' posts come in one query however many there are, and its related stories are
    picked without reading every post sharing its topics."""
    commemoration = add_stories(5)[-1]
    assert isinstance(commemoration, CommemorationPage)
    few = count_queries(client, commemoration.url)
    add_stories(195)
    assert count_queries(client, commemoration.url) == few
    html = get_html(client, commemoration.url)
    assert len(html.select(".year-list a")) == 39
    assert len(html.select(".related-stories .card__image img")) == 3


def test_the_calendar_lists_the_latest_three_years_and_leads_to_the_others(client, index, calendar_page, genocide_day):
    """The page stays as long however many years of posts there are: the newest post lists them all."""
    posts = {
        year: CommemorationPageFactory(parent=index, observance=genocide_day, year=year, title=f"Post of {year}")
        for year in range(2015, 2025)
    }
    section = get_html(client, calendar_page.url).select_one("#genocide-prevention-day")
    assert [link.text for link in section.select(".year-list a")] == ["Post of 2024", "Post of 2023", "Post of 2022"]
    earlier = section.select_one(".observance__earlier a")
    assert earlier["href"] == f"{posts[2024].url}#past-years"
    newest = get_html(client, posts[2024].url)
    assert len(newest.select("#past-years + .year-list a")) == 9


def test_the_calendar_with_three_years_of_posts_has_no_link_to_earlier_ones(client, index, calendar_page, genocide_day):
    for year in (2022, 2023, 2024):
        CommemorationPageFactory(parent=index, observance=genocide_day, year=year)
    section = get_html(client, calendar_page.url).select_one("#genocide-prevention-day")
    assert len(section.select(".year-list a")) == 3
    assert section.select_one(".observance__earlier") is None


def test_the_calendar_says_which_years_its_file_links(client, calendar_page, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 6, 1))
    hint = get_html(client, calendar_page.url).select_one(".observance-calendar__hint").get_text()
    assert "posts of 2025 to 2027" in " ".join(hint.split())


def test_the_calendar_costs_the_same_queries_with_200_posts_as_with_5(client, calendar_page, add_stories):
    add_stories(25)  # five commemorations, a year apart
    few = count_queries(client, calendar_page.url)
    add_stories(975)
    assert count_queries(client, calendar_page.url) == few
