"""Images as readers without sight, and readers who would rather not see, meet them.

On every page type every <img> has alt text, and an empty one only where the template marked the
image decorative (`data-decorative`: an editor's tick, or a card's image beside its own title). On a
story with a graphic image the content note comes before the hero and the donate call, and the image
is not fetched until the reader asks for it: never without JavaScript (a link opens it instead), and
with JavaScript once, when the button is pressed.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from stories.blocks import graphic_images
from stories.models import StoryPage

from .inspection import AXE_SCRIPT, AXE_TAGS
from .site_pages import VISITS

pytestmark = pytest.mark.browser

# Every <img> in the page, as the browser parsed it (a <template>'s content is not in the document).
IMAGES = """() => [...document.querySelectorAll("img")].map((img) => ({
    src: img.currentSrc || img.getAttribute("src"),
    alt: img.getAttribute("alt"),
    decorative: img.hasAttribute("data-decorative"),
}))"""
# The addresses of a graphic image: the link's, and every rendition its hidden <picture> offers.
GRAPHIC_URLS = """() => [...document.querySelectorAll("[data-graphic-image]")].flatMap((box) => {
    const urls = [box.querySelector("[data-graphic-image-link]").href];
    const content = box.querySelector("[data-graphic-image-template]").content;
    for (const element of content.querySelectorAll("[srcset], [src]")) {
        for (const candidate of (element.getAttribute("srcset") || element.getAttribute("src")).split(",")) {
            urls.push(new URL(candidate.trim().split(/\\s+/)[0], document.baseURI).href);
        }
    }
    return urls;
})"""
PHONE = {"width": 320, "height": 568}


@pytest.fixture(scope="module")
def graphic_story(demo_site):
    """The address of a demo story with a graphic image in its body (the demo has one)."""

    def find():
        # In a thread of its own: Django refuses database work in the thread Playwright's loop runs in.
        for story in StoryPage.objects.live().specific().order_by("path"):
            if graphic_images(story.body):
                return demo_site.url + story.url
        return None

    with ThreadPoolExecutor(max_workers=1) as executor:
        url = executor.submit(find).result()
    assert url, "The demo content needs a story with a graphic image (stories/demo.py)."
    return url


def axe_violations(page):
    """axe-core's WCAG A and AA violations on the page as it is now (the visit checks run it on load)."""
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{violation['id']}: {violation['help']}" for violation in results["violations"]]


def open_page(chromium, url, requests, **context_options):
    context = chromium.new_context(**context_options)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="networkidle")
    return context, page


def scroll_through(page):
    """Scrolls to the bottom and back, so the browser fetches every lazy image it ever would."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)
def test_every_image_has_alt_text_and_only_decorative_ones_are_empty(demo_site, chromium, visit):
    context, page = open_page(chromium, demo_site.url_for(visit), [], viewport={"width": 1280, "height": 900})
    images = page.evaluate(IMAGES)
    context.close()
    missing = [image["src"] for image in images if image["alt"] is None]
    unmarked = [image["src"] for image in images if image["alt"] == "" and not image["decorative"]]
    assert not missing, f"images without alt on {visit.name}"
    assert not unmarked, f"empty alt on images nobody marked decorative, on {visit.name}"
    # A decorative mark never hides words the page has: a marked image's alt is empty.
    assert all(image["alt"] == "" for image in images if image["decorative"])


def test_the_demo_images_speak_their_descriptions(demo_site, chromium):
    context, page = open_page(chromium, demo_site.url + "/", [], viewport={"width": 1280, "height": 900})
    hero_alt = page.get_attribute(".hero__image img", "alt")
    context.close()
    assert hero_alt.startswith("An illustration of layered hills")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["320", "1280"])
def test_the_content_note_comes_before_the_hero_and_the_donate_call(graphic_story, chromium, artifacts, viewport):
    context, page = open_page(chromium, graphic_story, [], viewport=viewport)
    top = {
        name: page.locator(selector).first.bounding_box()["y"]
        for name, selector in {"note": ".content-note", "hero": ".page-header__image", "donate": ".donate-cta"}.items()
    }
    order = page.evaluate(
        """() => [".content-note", ".page-header__image", ".donate-cta"].map((selector) =>
            [...document.querySelectorAll("*")].indexOf(document.querySelector(selector)))"""
    )
    page.screenshot(path=Path(artifacts) / "screenshots" / f"graphic-story-note-{viewport['width']}.png")
    context.close()
    assert order == sorted(order), "the note, the hero and the donate call, in that reading order"
    assert top["note"] < top["hero"] < top["donate"], top


def test_without_javascript_the_graphic_image_is_never_fetched(graphic_story, chromium, artifacts):
    requests = []
    context, page = open_page(chromium, graphic_story, requests, java_script_enabled=False, viewport=PHONE)
    scroll_through(page)
    graphic = set(page.evaluate(GRAPHIC_URLS))
    link = page.locator(".graphic-image a", has_text="View the image")
    assert link.is_visible()
    assert not page.locator(".graphic-image button").is_visible()
    page.screenshot(path=Path(artifacts) / "screenshots" / "graphic-story-no-js-320.png", full_page=True)
    context.close()
    assert len(graphic) > 1
    assert not graphic & set(requests), "the hidden graphic image was downloaded"


def test_with_javascript_the_graphic_image_is_fetched_once_when_asked(graphic_story, chromium, artifacts):
    requests = []
    context, page = open_page(chromium, graphic_story, requests, viewport={"width": 1280, "height": 900})
    scroll_through(page)
    graphic = set(page.evaluate(GRAPHIC_URLS))
    assert not graphic & set(requests), "the graphic image was downloaded before the reader asked"
    assert not page.locator(".graphic-image a", has_text="View the image").is_visible()
    assert axe_violations(page) == []

    button = page.locator(".graphic-image button")
    assert button.text_content() == "Show the image"
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_load_state("networkidle")
    image = page.locator(".graphic-image__content img")
    image.wait_for(state="visible")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.get_attribute("alt")
    assert len([url for url in requests if url in graphic]) == 1
    assert button.get_attribute("aria-expanded") == "true"
    assert button.text_content() == "Hide the image"
    assert axe_violations(page) == []
    page.locator(".graphic-image").screenshot(path=Path(artifacts) / "screenshots" / "graphic-story-shown-1280.png")

    button.click()
    assert not image.is_visible()
    assert button.text_content() == "Show the image"
    assert button.get_attribute("aria-expanded") == "false"
    context.close()
