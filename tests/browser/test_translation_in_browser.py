"""An editor translates a story into Spanish in Chromium, and readers then find it in Spanish.

The editor works as editors do: "Translate this page" from the English story's editor, Spanish
chosen, each segment typed into wagtail-localize's translation editor, "Publish in Español". Until
then the Spanish story is a draft no reader sees. Once published, a reader finds it under /es/, in
the Spanish stories feed (the one the Spanish stories page announces), in the sitemap, in Spanish
search, and moves between the two languages with the switcher.

The story's translation is removed afterwards, so the checks that follow see the demo site as loaded.
"""

import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import feedparser
import pytest
from django.db import OperationalError, transaction
from playwright.sync_api import expect

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-browser"
SCREEN = {"width": 1280, "height": 900}
STORY = "/home/stories/learning-where-it-happened/"  # a demo story with no Spanish version
# What the editor types, segment by segment: English to Spanish. The rest keeps its English until
# someone translates it, as wagtail-localize shows an unfinished translation.
CONTENT = {
    "Learning where it happened: a week at the Lemkin Seminar": (
        "Aprender donde ocurrió: una semana en el Seminario Lemkin"
    ),
    "Why the Global Raphael Lemkin Seminar meets at the former Auschwitz-Birkenau camp, and what officials take "
    "home from it.": (
        "Por qué el Seminario Global Raphael Lemkin se reúne en el antiguo campo de Auschwitz-Birkenau, y qué se "
        "llevan de él los funcionarios que participan."
    ),
    "We teach the warning signs in the classroom. The place teaches why they matter.": (
        "En el aula enseñamos las señales de alerta. El lugar enseña por qué importan."
    ),
}
PROMOTE = {"learning-where-it-happened": "aprender-donde-ocurrio"}
SPANISH_TITLE = CONTENT["Learning where it happened: a week at the Lemkin Seminar"]
SPANISH_PATH = "/es/historias/aprender-donde-ocurrio/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def in_thread(function):
    # Django refuses database work in the thread Playwright's event loop runs in.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result()


def fetch(url):
    """(status, body) of `url`, as a reader's browser or feed reader gets it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own live server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def story(demo_site):
    """The English demo story and a translator's login; afterwards its Spanish version is deleted."""

    def make():
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from wagtail.models import Page

        # A moderator, who may publish: wagtail-localize lets Editors and Moderators submit translations.
        translator = get_user_model().objects.create_user("translator", "translator@example.org", PASSWORD)
        translator.groups.add(Group.objects.get(name="Moderators"))
        return Page.objects.get(url_path=STORY).specific, translator

    def remove(story, translator):
        from wagtail.models import Locale
        from wagtail_localize.models import TranslationSource

        # The live server may still be answering the editor's last request: wait for it rather than fail.
        for attempt in range(50):
            try:
                with transaction.atomic():
                    spanish = story.get_translation_or_none(Locale.objects.get(language_code="es"))
                    if spanish is not None:
                        spanish.delete()
                    TranslationSource.objects.filter(object_id=story.translation_key).delete()
                    translator.delete()
                return
            except OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    story, translator = in_thread(make)
    yield story
    in_thread(lambda: remove(story, translator))


@pytest.fixture
def editor(chromium, demo_site):
    context = chromium.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(demo_site.url + "/admin/login/")
    page.fill("input[name=username]", "translator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(demo_site.url + "/admin/")
    yield page
    context.close()


@pytest.fixture
def reader(chromium):
    context = chromium.new_context(viewport=SCREEN)
    yield context.new_page()
    context.close()


def translate_segments(editor, segments):
    """Type each segment's Spanish into the translation editor, the way a translator does: Translate,
    type, Save."""
    for english, spanish in segments.items():
        segment = editor.locator("li:has(> p)").filter(has_text=english).filter(visible=True)
        segment.get_by_role("button", name="Translate").click()
        segment.locator("textarea").fill(spanish)
        segment.get_by_role("button", name="Save").click()
        expect(segment).to_contain_text(spanish)
        expect(segment.get_by_role("button", name="Edit")).to_be_visible()


def test_an_editor_translates_a_story_and_readers_find_it_in_spanish(demo_site, story, editor, reader):
    # The editor: "Translate this page" in the English story's actions, into Spanish.
    editor.goto(f"{demo_site.url}/admin/pages/{story.pk}/edit/")
    editor.locator("header").get_by_role("button", name="Actions").first.click()
    editor.get_by_role("link", name="Translate this page").click()
    editor.get_by_label("Español").check()
    editor.get_by_role("button", name="Submit").click()
    expect(editor.get_by_role("heading", name="English to Español translation").first).to_be_visible()
    # A draft until it is published: the Spanish stories list does not show it.
    assert SPANISH_TITLE not in fetch(demo_site.url + "/es/historias/")[1]

    translate_segments(editor, CONTENT)
    editor.get_by_text("Promote", exact=True).click()
    translate_segments(editor, PROMOTE)
    assert fetch(demo_site.url + SPANISH_PATH)[0] == 404, "published before the editor published it"
    editor.get_by_role("button", name="Publish in Español").click()
    editor.wait_for_load_state("networkidle")
    editor.screenshot(path=ARTIFACTS / "screenshots" / "translation-editor-published.png", full_page=True)

    # A reader, under /es/.
    reader.goto(demo_site.url + SPANISH_PATH)
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    expect(reader.get_by_role("heading", level=1)).to_have_text(SPANISH_TITLE)
    expect(reader.locator("blockquote")).to_contain_text("señales de alerta")

    # The switcher leads to the English story and back.
    reader.locator(".language-switcher__link").click()
    reader.wait_for_url(demo_site.url + "/stories/learning-where-it-happened/")
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    reader.locator(".language-switcher__link").click()
    reader.wait_for_url(demo_site.url + SPANISH_PATH)
    expect(reader.get_by_role("heading", level=1)).to_have_text(SPANISH_TITLE)

    # In the feed the Spanish stories page announces, and not in the English one.
    reader.goto(demo_site.url + "/es/historias/")
    feed_address = reader.locator("link[rel=alternate][type='application/rss+xml'][href$='stories/rss/']")
    spanish_feed = feedparser.parse(fetch(demo_site.url + feed_address.get_attribute("href"))[1])
    assert spanish_feed.feed.language.startswith("es")
    entry = next(entry for entry in spanish_feed.entries if entry.title == SPANISH_TITLE)
    assert entry.link.endswith(SPANISH_PATH)
    english_feed = feedparser.parse(fetch(demo_site.url + "/feeds/stories/rss/")[1])
    assert SPANISH_TITLE not in [entry.title for entry in english_feed.entries]

    # In the sitemap, beside its English version.
    assert SPANISH_PATH in "\n".join(sitemap_locations(demo_site.url))

    # In Spanish search, accents or not; English search does not show it.
    for words in ("ocurrió", "ocurrio"):
        reader.goto(f"{demo_site.url}/es/search/?q={quote(words)}")
        expect(reader.get_by_role("link", name=SPANISH_TITLE)).to_be_visible()
    reader.goto(f"{demo_site.url}/search/?q=Lemkin")
    expect(reader.get_by_role("link", name=SPANISH_TITLE)).to_have_count(0)


def sitemap_locations(site_url):
    """Every <loc> in the sitemap, following the index to its sections (on this live server)."""
    status, body = fetch(site_url + "/sitemap.xml")
    assert status == 200
    root = ET.fromstring(body)
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    if root.tag == f"{SITEMAP}sitemapindex":
        sections = [re.sub(r"^https?://[^/]+", site_url, section) for section in locations]
        locations = [loc.text for section in sections for loc in ET.fromstring(fetch(section)[1]).iter(f"{SITEMAP}loc")]
    return locations
