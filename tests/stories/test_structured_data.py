"""Stories and commemorations as search engines and link previews read them: articles with their
publisher's logo and their image's alt text, and observances as yearly days with no invented place."""

import datetime
import json
import re

from bs4 import BeautifulSoup
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from ..factories import CommemorationPageFactory, ObservanceFactory, SiteImageFactory, StoryPageFactory

LOGO_URL = "http://testserver/static/img/aipg-mark-512.png"


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(html):
    return json.loads(html.select_one('script[type="application/ld+json"]').string)


def meta(html, name):
    tag = html.select_one(f'meta[property="{name}"], meta[name="{name}"]')
    return tag["content"] if tag else None


def test_a_story_is_shared_as_an_article_with_its_dates(client, index):
    story = StoryPageFactory(parent=index, date=datetime.date(2024, 3, 1))
    story.save_revision().publish()
    story.refresh_from_db()
    html = get_html(client, story.url)
    assert meta(html, "og:type") == "article"
    assert meta(html, "article:published_time") == "2024-03-01"
    modified = datetime.datetime.fromisoformat(meta(html, "article:modified_time"))
    assert modified == story.last_published_at


def test_the_shared_image_carries_the_stories_own_alt_text(client, index):
    image = SiteImageFactory(description="A seminar room")
    story = StoryPageFactory(parent=index, hero_image=image, hero_image_alt="Officials at the memorial in Oświęcim")
    html = get_html(client, story.url)
    assert meta(html, "og:image:alt") == "Officials at the memorial in Oświęcim"
    assert meta(html, "twitter:image:alt") == "Officials at the memorial in Oświęcim"


def test_the_shared_image_falls_back_to_the_images_description(client, index):
    story = StoryPageFactory(parent=index, hero_image=SiteImageFactory(description="A seminar room"))
    assert meta(get_html(client, story.url), "og:image:alt") == "A seminar room"


def test_a_shared_image_with_no_words_for_it_has_no_alt_tag(client, index):
    story = StoryPageFactory(parent=index, hero_image=SiteImageFactory(title="DSC_0042", description=""))
    html = get_html(client, story.url)
    assert meta(html, "og:image") is not None
    assert meta(html, "og:image:alt") is None
    assert meta(html, "twitter:image:alt") is None


def test_the_article_names_the_institute_with_its_logo_as_author_and_publisher(client, index):
    story = StoryPageFactory(parent=index, hero_image=SiteImageFactory())
    story.save_revision().publish()
    story.refresh_from_db()
    data = json_ld(get_html(client, story.url))
    for role in ("author", "publisher"):
        assert data[role]["name"] == "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
        assert data[role]["url"] == "http://testserver/"
        assert data[role]["logo"] == {"@type": "ImageObject", "url": LOGO_URL, "width": 512, "height": 512}
    assert data["inLanguage"] == "en"
    assert data["dateModified"] == story.last_published_at.isoformat()


def test_an_article_without_its_own_image_shows_the_default_social_image(client, index):
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.default_social_image = SiteImageFactory()
    organisation.save()
    html = get_html(client, StoryPageFactory(parent=index).url)
    assert json_ld(html)["image"] == meta(html, "og:image")


def test_a_commemoration_is_about_its_observance_on_the_calendar(client, index, calendar_page, genocide_day):
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2026, date=datetime.date(2026, 12, 9))
    html = get_html(client, post.url)
    assert meta(html, "og:type") == "article"
    assert meta(html, "article:published_time") == "2026-12-09"
    data = json_ld(html)
    entry = f"http://testserver{calendar_page.url}#genocide-prevention-day"
    assert data["about"]["@id"] == data["about"]["url"] == entry
    assert data["about"]["name"] == "International Day of Commemoration"
    assert data["temporalCoverage"] == "2026-12-09"


def test_observances_are_yearly_all_day_dates_with_no_invented_place(client, calendar_page, genocide_day):
    """An observance is kept wherever people keep it: it is not published as an event at some place
    (search engines require an event's place), nor as an online event at the home page."""
    ObservanceFactory(name="A leap day", slug="leap-day", month=2, day=29, established_year=2004)
    html = get_html(client, calendar_page.url)
    assert meta(html, "og:type") == "website"
    data = json_ld(html)
    assert data["@type"] == "CollectionPage"
    assert data["url"] == f"http://testserver{calendar_page.url}"
    observances = {observance["name"]: observance for observance in data["mainEntity"]}
    day = observances["International Day of Commemoration"]
    assert day["@type"] == "Schedule"
    assert day["url"] == f"http://testserver{calendar_page.url}#genocide-prevention-day"
    assert (day["repeatFrequency"], day["byMonth"], day["byMonthDay"]) == ("P1Y", 12, 9)
    assert day["startDate"] == "2015-12-09"
    assert observances["A leap day"]["startDate"] == "2004-02-29"
    # Each address leads to the observance's own entry on the page.
    assert html.find(id="genocide-prevention-day") is not None
    assert html.find(id="leap-day") is not None
    text = html.select_one('script[type="application/ld+json"]').string
    assert "Event" not in text
    assert "location" not in text.lower()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", observance["startDate"]) for observance in data["mainEntity"])


def test_without_a_calendar_the_observance_points_to_its_official_page(client, index, genocide_day):
    genocide_day.link = "https://www.un.org/en/observances/genocide-prevention-day"
    genocide_day.save()
    post = CommemorationPageFactory(parent=index, observance=genocide_day, year=2026)
    about = json_ld(get_html(client, post.url))["about"]
    assert about["url"] == "https://www.un.org/en/observances/genocide-prevention-day"
    assert "@id" not in about
