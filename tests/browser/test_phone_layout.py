"""Phones lead with content: a short header whose menu folds behind a button, the library's filters
behind another, cards of one shape, and long words that do not break the layout.

Measured on a 320 x 568 screen (a small phone); the wide layout at 1280 px.
"""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}
WIDE = {"width": 1280, "height": 900}
PAGE_TYPES = ["HomePage", "StoryPage", "ResourceLibraryPage", "DonatePage"]
# The Spanish pages too ("HomePage-es"): Spanish words and labels run longer than English ones.
IN_BOTH_LANGUAGES = [f"{page_type}{suffix}" for suffix in ("", "-es") for page_type in PAGE_TYPES]
# A filtered list of the library (the same address `site_pages.OTHER_VIEWS` visits).
FILTERED_LIBRARY = "/resources/?q=prevention&topic=early-warning&sort=newest"


@pytest.fixture
def open_page(demo_site, chromium):
    """`open_page(path, viewport, javascript=True)`: a Playwright page showing `path` of the demo site."""
    contexts = []

    def open_(path, viewport, javascript=True):
        context = chromium.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.goto(demo_site.url + path, wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def _tab_to(page, selector, presses=15):
    """Press Tab from the top of the page until `selector` has focus; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


# The header ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_type", IN_BOTH_LANGUAGES)
def test_the_phone_header_takes_a_fifth_of_the_screen_at_most(demo_site, open_page, page_type):
    page = open_page(demo_site.paths[page_type], PHONE)
    height = _box(page, ".site-header")["height"]
    assert height <= PHONE["height"] / 5, f"the header is {height} px tall on a 320 x 568 screen"
    assert page.locator(".main-menu").is_hidden()
    assert page.locator("#site-search-q").is_hidden()


def test_the_menu_button_opens_and_closes_the_menu_from_the_keyboard(demo_site, open_page):
    page = open_page(demo_site.paths["HomePage"], PHONE)
    menu_links = page.locator(".main-menu__link")

    _tab_to(page, ".site-nav__toggle")
    page.keyboard.press("Enter")
    assert menu_links.count() == 6
    assert all(link.is_visible() for link in menu_links.all())
    assert page.locator("#site-search-q").is_visible()
    # The open menu follows the button in the Tab order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('main-menu__link')")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert menu_links.first.is_hidden()
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.closest('.site-nav__panel')"), "Tab reached the closed menu"


def test_the_menu_button_works_without_javascript(demo_site, open_page):
    page = open_page(demo_site.paths["StoryPage"], PHONE, javascript=False)
    toggle = page.locator(".site-nav__toggle")
    toggle.click()
    assert page.locator(".main-menu__link").first.is_visible()
    toggle.click()
    assert page.locator(".main-menu__link").first.is_hidden()

    page = open_page(demo_site.paths["StoryPage"], PHONE, javascript=False)
    _tab_to(page, ".site-nav__toggle")
    page.keyboard.press("Enter")
    assert page.locator("#site-search-q").is_visible()
    page.keyboard.press("Enter")
    assert page.locator("#site-search-q").is_hidden()


def test_a_wide_screen_shows_the_menu_and_search_beside_the_name_without_a_button(demo_site, open_page):
    page = open_page(demo_site.paths["HomePage"], WIDE)
    assert page.locator(".site-nav__toggle").is_hidden()
    assert all(link.is_visible() for link in page.locator(".main-menu__link").all())
    brand, menu, search = (_box(page, selector) for selector in (".site-header__brand", ".main-menu", ".site-search"))
    # One row: the menu and the search start beside the name, not below it.
    assert menu["y"] < brand["y"] + brand["height"]
    assert search["y"] < brand["y"] + brand["height"]
    assert brand["x"] < menu["x"] < search["x"]
    assert page.locator(".site-header__mark").is_visible()


# The library's filters -----------------------------------------------------------------------------


def test_the_library_shows_its_first_resource_on_the_first_phone_screen(demo_site, open_page):
    page = open_page(demo_site.paths["ResourceLibraryPage"], PHONE)
    first_card = _box(page, ".resource-card")
    assert first_card["y"] < PHONE["height"], f"the first card starts {first_card['y']} px down"
    assert page.locator(".listing-filters").is_hidden()

    page.locator(".filter-disclosure__toggle").click()
    assert page.locator("#library-q").is_visible()
    assert page.locator(".listing-filters select").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_library_filters_open_by_themselves_when_some_are_chosen(demo_site, open_page):
    for javascript in (True, False):
        page = open_page(FILTERED_LIBRARY, PHONE, javascript=javascript)
        assert page.locator("#library-q").input_value() == "prevention"
        assert page.locator("#library-q").is_visible()
        assert page.locator("#filter-topic").is_visible()


def test_a_wide_screen_shows_the_library_filters_open_without_a_button(demo_site, open_page):
    page = open_page(demo_site.paths["ResourceLibraryPage"], WIDE)
    assert page.locator(".filter-disclosure__toggle").is_hidden()
    assert page.locator("#library-q").is_visible()
    assert page.locator(".listing-filters__submit").is_visible()


# Cards ---------------------------------------------------------------------------------------------

# Each card's picture, or the panel that stands in for a missing one, by list.
PICTURES = {".card-grid": ".card__image", ".resource-list": ".resource-card__cover"}


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["320px", "1280px"])
# English only: the Spanish demo has too few pages for a list of more than one card.
@pytest.mark.parametrize("page_type", ["HomePage", "ResourceLibraryPage"])
def test_cards_in_a_list_have_one_shape_with_or_without_a_picture(demo_site, open_page, page_type, viewport):
    page = open_page(demo_site.paths[page_type], viewport)
    lists = page.evaluate(
        """(pictures) => Object.entries(pictures).flatMap(([list, picture]) =>
            [...document.querySelectorAll(list)].map((element) => {
                const cards = [...element.querySelectorAll('.card')];
                return {
                    list,
                    cards: cards.length,
                    heights: cards.map((card) => {
                        const found = card.querySelector(picture);
                        return found ? Math.round(found.getBoundingClientRect().height) : null;
                    }),
                };
            }))""",
        PICTURES,
    )
    assert any(found["cards"] > 1 for found in lists), "no list of cards on the page"
    for found in lists:
        assert None not in found["heights"], f"a card in {found['list']} has no picture and no stand-in"
        assert len(set(found["heights"])) == 1, f"pictures of different heights in {found['list']}: {found['heights']}"


# For each card title: its text, its `hyphens`, whether it is wider than its box, and its words of ten
# letters or more that are drawn on two lines (split at a hyphen it contains does not count).
CARD_TITLES = """() => [...document.querySelectorAll('.card__title')].map((title) => {
    const text = title.textContent.trim();
    const long = text.split(/[\\s\\u2010-\\u2015-]+/).filter((word) => word.length >= 10);
    const node = title.querySelector('a').firstChild;
    const split = long.filter((word) => {
        const at = node.textContent.indexOf(word);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
    });
    const overflows = title.scrollWidth > title.clientWidth;
    return {text, hyphens: getComputedStyle(title).hyphens, overflows, split};
})"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_long_words_in_card_titles_are_hyphenated_or_kept_whole(demo_site, open_page, language):
    page = open_page(demo_site.paths["ResourceLibraryPage" + ("" if language == "en" else f"-{language}")], PHONE)
    assert page.evaluate("document.documentElement.lang") == language
    titles = page.evaluate(CARD_TITLES)
    assert titles
    assert {title["hyphens"] for title in titles} == {"auto"}
    assert not [title["text"] for title in titles if title["overflows"]]
    if not _browser_hyphenates(page, language):
        # Without a dictionary a split word would lose its hyphen ("Memorializati / on"): none may split.
        assert not [(title["text"], title["split"]) for title in titles if title["split"]]


def _browser_hyphenates(page, language):
    """Whether this browser has a hyphenation dictionary for `language` (Debian's Chromium has none):
    a word too long for its box fits only when the browser can hyphenate it."""
    return page.evaluate(
        """(language) => {
            const probe = document.createElement('p');
            probe.lang = language;
            probe.style.cssText = 'position: absolute; width: 6ch; font: 16px monospace';
            probe.style.overflowWrap = 'normal';
            probe.style.hyphens = 'auto';
            probe.textContent = language === 'es' ? 'conmemoraciones' : 'hyphenation';
            document.body.append(probe);
            const fits = probe.scrollWidth <= probe.clientWidth;
            probe.remove();
            return fits;
        }""",
        language,
    )
