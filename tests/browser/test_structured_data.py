"""Structured data, link previews and language of parts on every page type, as search engines,
social sites and screen readers read them.

Every JSON-LD block of every page is parsed and checked twice:
- by @adobe/structured-data-validator (pinned in package.json), run offline by `structured_data.mjs`
  on the schema.org vocabulary shipped by @vocabulary/schema: every type must exist in schema.org
  and every property must belong to its type, and Google's rules for the types it knows apply;
- by the rules below, written from Google's structured-data guidelines for the types this site uses
  (the validator has none for articles or events): what each type requires and recommends, absolute
  addresses, ISO 8601 dates, an all-day date for a yearly day, a place for any event, a logo search
  engines accept, and a fragment address that leads to an element of the page.
Open Graph and Twitter tags are checked against what those previews need, and every `lang` inside
a page must mark a real change of language, while the demo's Spanish resource must carry one.
"""

import io
import json
import re
import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from PIL import Image

from resources.models import ResourcePage

from .site_pages import VISITS, missing_demo_page_message

pytestmark = pytest.mark.browser

VALIDATOR = Path(__file__).with_name("structured_data.mjs")
ARTICLE_PAGE_TYPES = {"StoryPage", "CommemorationPage", "ResourcePage", "AnnualReportPage"}
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting"}
ORGANISATION_TYPES = {"Organization", "NGO"}
EVENT_TYPES = {"Event", "EducationEvent", "SocialEvent"}
DATE_PROPERTIES = {"startDate", "endDate", "datePublished", "dateModified", "foundingDate", "temporalCoverage"}
URL_PROPERTIES = {"@id", "url", "sameAs", "contentUrl", "mainEntityOfPage", "image"}
MIN_LOGO_SIZE = 112  # px, each side: Google's smallest logo
MIN_IMAGE_PIXELS = 50_000  # Google's smallest article image, width times height
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")

READ_PAGE = """() => ({
    lang: document.documentElement.lang,
    canonical: document.querySelector('link[rel="canonical"]')?.href ?? null,
    blocks: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
    meta: [...document.head.querySelectorAll("meta[property], meta[name]")].map((m) =>
        [m.getAttribute("property") || m.getAttribute("name"), m.getAttribute("content")]),
    ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
    marked: [...document.body.querySelectorAll("[lang]")].map((element) => ({
        lang: element.getAttribute("lang"),
        text: element.textContent.trim().replace(/\\s+/g, " ").slice(0, 120),
    })),
})"""


@dataclass
class PageData:
    url: str
    lang: str
    canonical: str | None
    blocks: list  # the parsed JSON-LD blocks
    meta: dict  # tag name -> content (the first of each)
    ids: set
    marked: list  # {"lang", "text"} of every element inside <body> with a lang attribute


def read_page(chromium, url):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    raw = page.evaluate(READ_PAGE)
    context.close()
    meta = {}
    for name, content in raw["meta"]:
        meta.setdefault(name, content)
    return PageData(
        url=url,
        lang=raw["lang"],
        canonical=raw["canonical"],
        blocks=[json.loads(block) for block in raw["blocks"]],
        meta=meta,
        ids=set(raw["ids"]),
        marked=raw["marked"],
    )


@pytest.fixture(scope="module")
def pages(demo_site, chromium):
    """What each visited page publishes, by visit name: every page is opened once for every check."""
    return {
        visit.name: read_page(chromium, demo_site.url_for(visit)) for visit in VISITS if demo_site.has_page_for(visit)
    }


def validate(blocks_by_page):
    node = shutil.which("node")
    if node is None:
        pytest.exit("The structured-data validator needs Node.js 18 or later (`apt-get install -y nodejs`).", 3)
    result = subprocess.run(
        [node, str(VALIDATOR)],
        input=json.dumps(blocks_by_page),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"structured_data.mjs failed (run `npm ci`?): {result.stderr}"
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def validator_issues(pages):
    return validate({name: data.blocks for name, data in pages.items()})


def fetch(url, server=None):
    """The status and body at `url`; with `server`, at its path on the live server (renditions are
    addressed at the site's configured host, which the test server does not answer to)."""
    if server:
        url = server + urlsplit(url).path
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own live server)
        return response.status, response.read()


# The rules ------------------------------------------------------------------------------------


def types_of(node):
    return set(node["@type"]) if isinstance(node.get("@type"), list) else {node.get("@type")}


def nodes_in(value, path="$"):
    """Every typed node in a JSON-LD value, with where it sits."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from nodes_in(value["@graph"], f"{path}.@graph")
            return
        if "@type" in value:
            yield path, value
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield from nodes_in(item, f"{path}.{key}")


def is_absolute(url):
    return isinstance(url, str) and urlsplit(url).scheme in {"http", "https"} and bool(urlsplit(url).netloc)


def is_iso_date(value):
    """A date or date-time in ISO 8601, or a year alone (a publication known by its year)."""
    if not isinstance(value, str):
        return False
    if re.fullmatch(r"\d{4}", value):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def url_of(value):
    return value.get("url") if isinstance(value, dict) else value


def google_problems(data, page):
    """What Google's guidelines would flag in one page's JSON-LD, as sentences."""
    problems = []
    for block in data:
        if "@context" not in block and not isinstance(block, list):
            problems.append("a block without @context")
    for path, node in (found for block in data for found in nodes_in(block)):
        types = types_of(node)
        where = f"{path} ({'/'.join(sorted(map(str, types)))})"

        def need(condition, what, where=where):
            if not condition:
                problems.append(f"{where}: {what}")

        for key in DATE_PROPERTIES & node.keys():
            need(is_iso_date(node[key]), f"{key} {node[key]!r} is not an ISO 8601 date")
        for key in URL_PROPERTIES & node.keys():
            for value in node[key] if isinstance(node[key], list) else [node[key]]:
                url = url_of(value)
                need(url is None or is_absolute(url), f"{key} {url!r} is not an absolute address")
                # An address into this page must lead to an element of it.
                address, fragment = urldefrag(url) if isinstance(url, str) else ("", "")
                if fragment and address == urldefrag(page.url)[0]:
                    need(fragment in page.ids, f"{key} {url} names no element of the page")
        if types & ARTICLE_TYPES:
            for key in ("headline", "image", "datePublished", "author", "publisher"):
                need(node.get(key), f"no {key}")
            author = node.get("author") or {}
            need(isinstance(author, dict) and author.get("name") and author.get("url"), "an author without name or url")
            publisher = node.get("publisher") or {}
            need(publisher.get("name"), "a publisher without a name")
            need(url_of(publisher.get("logo")), "a publisher without a logo")
        if types & ORGANISATION_TYPES:
            for key in ("name", "url", "logo"):
                need(node.get(key), f"no {key}")
        if types & EVENT_TYPES:
            for key in ("name", "startDate", "location", "url"):
                need(node.get(key), f"no {key} (an event needs its place: an observance is not an event)")
            locations = node.get("location") or []
            for location in locations if isinstance(locations, list) else [locations]:
                if location.get("@type") == "VirtualLocation":
                    need(is_absolute(location.get("url")), "an online place without an address")
                    # The site's home page is no place an event happens.
                    need(urlsplit(location.get("url") or "").path not in {"", "/"}, "the home page as an online place")
                else:
                    need(location.get("address"), "a place without an address")
        if "Schedule" in types:
            for key in ("name", "url", "repeatFrequency", "startDate"):
                need(node.get(key), f"no {key}")
            # A day observed all day: a date, never a time.
            need(re.fullmatch(r"\d{4}-\d{2}-\d{2}", node.get("startDate", "")), "a start that is not a date alone")
        if types & {"Project", "CollectionPage", "Report", "CreativeWork"}:
            for key in ("name", "url"):
                need(node.get(key), f"no {key}")
        if "Project" in types and path == "$":
            parent = node.get("parentOrganization") or {}
            need(parent.get("name") and parent.get("url") and parent.get("logo"), "no parent organisation with logo")
        if "ImageObject" in types:
            need(is_absolute(node.get("url")), "an image without an absolute address")
    return problems


# The checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)
def test_structured_data_passes_the_schema_org_validator(pages, validator_issues, visit):
    if visit.name not in pages:
        pytest.fail(missing_demo_page_message([visit.demo_page]), pytrace=False)
    assert validator_issues[visit.name] == []


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)
def test_structured_data_meets_googles_rules(pages, visit):
    page = pages[visit.name]
    assert google_problems(page.blocks, page) == []


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)
def test_link_previews_have_what_they_show(pages, visit):
    page = pages[visit.name]
    meta = page.meta
    for name in ("og:site_name", "og:type", "twitter:card"):
        assert meta.get(name), f"no {name}"
    assert "" not in meta.values(), "a tag with nothing in it"
    if visit.status == 200:  # what can be shared: the error page is not
        for name in ("og:title", "twitter:title"):
            assert meta.get(name), f"no {name}"
        assert meta.get("og:url") == page.canonical
        assert is_absolute(meta["og:url"])
    if visit.page_model and visit.page_model.__name__ in ARTICLE_PAGE_TYPES:
        assert meta["og:type"] == "article"
        assert is_iso_date(meta.get("article:published_time"))
        assert is_iso_date(meta.get("article:modified_time"))
    else:
        assert meta["og:type"] == "website"
        assert "article:published_time" not in meta
    if meta.get("og:image"):
        assert is_absolute(meta["og:image"])
        assert int(meta["og:image:width"]) >= 600 and int(meta["og:image:height"]) >= 315  # noqa: PT018
        assert meta.get("og:image:alt"), "a shared image without alt text (the demo's images all have descriptions)"
        assert meta["twitter:card"] == "summary_large_image"
        assert meta.get("twitter:image") == meta["og:image"]
        assert meta.get("twitter:image:alt") == meta["og:image:alt"]
    else:
        assert meta["twitter:card"] == "summary"
        assert "og:image:alt" not in meta


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)
def test_lang_marks_only_a_change_of_language(pages, visit):
    page = pages[visit.name]
    assert LANGUAGE_TAG.fullmatch(page.lang)
    for element in page.marked:
        assert LANGUAGE_TAG.fullmatch(element["lang"]), element
        assert element["lang"].split("-")[0] != page.lang.split("-")[0], f"marked in the page's own language: {element}"


def test_the_logo_is_one_search_engines_accept(demo_site, pages):
    organisations = [
        node for block in pages["HomePage"].blocks for _, node in nodes_in(block) if types_of(node) & ORGANISATION_TYPES
    ]
    assert organisations, "the home page describes the institute"
    logo = organisations[0]["logo"]
    status, body = fetch(logo["url"], server=demo_site.url)
    assert status == 200
    with Image.open(io.BytesIO(body)) as image:
        assert image.format in {"PNG", "JPEG", "WEBP", "GIF"}  # raster: Google does not take SVG logos
        assert image.width == image.height >= MIN_LOGO_SIZE
        assert (image.width, image.height) == (logo["width"], logo["height"])


def test_article_images_are_large_enough_for_search_results(demo_site, pages):
    articles = [
        node
        for page in pages.values()
        for block in page.blocks
        for _, node in nodes_in(block)
        if types_of(node) & ARTICLE_TYPES
    ]
    assert articles, "the demo has stories, so some pages publish articles"
    for url in {article["image"] for article in articles}:
        status, body = fetch(url, server=demo_site.url)
        assert status == 200
        with Image.open(io.BytesIO(body)) as image:
            assert image.width * image.height >= MIN_IMAGE_PIXELS, url


@pytest.fixture(scope="module")
def foreign_resources(demo_site):
    """(address, language, title, summary) of each demo resource in another language than English."""

    def find():
        # In a thread of its own: Django refuses database work in the thread Playwright's loop runs in.
        return [
            (demo_site.url + resource.url, resource.language, resource.title, resource.summary)
            for resource in ResourcePage.objects.live().exclude(language="en").order_by("path")
        ]

    with ThreadPoolExecutor(max_workers=1) as executor:
        resources = executor.submit(find).result()
    assert resources, "The demo library has a resource in Spanish (resources/demo.py)."
    return resources


def test_a_foreign_language_resource_is_marked_on_its_page(chromium, foreign_resources):
    for url, language, title, summary in foreign_resources:
        page = read_page(chromium, url)
        assert page.lang == "en"
        assert {"lang": language, "text": title} in page.marked
        assert {"lang": language, "text": summary[:120]} in page.marked
        assert [block["inLanguage"] for block in page.blocks] == [language]


def test_a_foreign_language_resource_is_marked_on_its_card(chromium, demo_site, foreign_resources):
    for language in {resource[1] for resource in foreign_resources}:
        page = read_page(chromium, f"{demo_site.url}/resources/?language={language}")
        for _, code, title, _ in foreign_resources:
            if code == language:
                assert {"lang": language, "text": title} in page.marked


def test_a_foreign_language_resource_says_its_language_in_the_feeds(demo_site, foreign_resources):
    _, atom = fetch(f"{demo_site.url}/feeds/library/atom/")
    _, rss = fetch(f"{demo_site.url}/feeds/library/rss/")
    for _, language, _, _ in foreign_resources:
        assert f'<entry xml:lang="{language}">' in atom.decode()
        assert f"<dc:language>{language}</dc:language>" in rss.decode()


def test_the_checks_catch_what_search_engines_reject(demo_site):
    """Data that is wrong in the ways this site's once was: an online event at the home page with no
    address of its own, an article with no publisher logo, a property schema.org does not have."""
    page = PageData(url=demo_site.url + "/", lang="en", canonical=None, blocks=[], meta={}, ids=set(), marked=[])
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "A day",
        "startDate": "2026-12-09T00:00",
        "location": {"@type": "VirtualLocation", "url": demo_site.url + "/"},
        "url": None,
    }
    article = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "A story",
        "datePublished": "9 December",
        "author": {"@type": "Organization", "name": "AIPG"},
        "publisher": {"@type": "Organization", "name": "AIPG"},
        "observedOn": "2026-12-09",
    }
    problems = google_problems([event, article], page)
    assert any("no url" in problem for problem in problems)
    assert any("no image" in problem for problem in problems)
    assert any("without a logo" in problem for problem in problems)
    assert any("not an ISO 8601 date" in problem for problem in problems)
    assert any("an author without name or url" in problem for problem in problems)
    assert any("the home page as an online place" in problem for problem in problems)
    issues = validate({"control": [article, {"@type": "Organisation", "name": "AIPG"}]})["control"]
    assert any('"observedOn"' in issue for issue in issues)
    assert any('"Organisation" is not a valid schema.org type' in issue for issue in issues)
