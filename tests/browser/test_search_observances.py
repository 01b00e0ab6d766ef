"""Site search as a reader meets it: the day the calendar names is found, with or without its accents,
and its link lands on that day on the observance calendar."""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 568}


def search(page, words):
    """Searches from the search page's own form, as a reader types (no JavaScript needed)."""
    page.fill("#search-page-q", words)
    page.press("#search-page-q", "Enter")
    page.wait_for_load_state("networkidle")


def test_an_observance_found_by_search_opens_on_its_day_in_the_calendar(demo_site, chromium, artifacts):
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}/search/")
    search(page, "Tutsi")
    group = page.locator(".search-group", has=page.locator("#search-observances"))
    assert re.fullmatch(r"On the observance calendar \(1\)", " ".join(group.locator("h2").inner_text().split()))
    page.screenshot(path=artifacts / "screenshots" / "search-observances-found-320.png", full_page=True)

    group.locator(".search-result__title a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{demo_site.url}/commemorations/#")
    day = page.locator(".observance:target")
    assert "Rwanda" in day.locator(".observance__name").inner_text()
    top = day.evaluate("element => element.getBoundingClientRect().top")
    assert -1 <= top < PHONE["height"] / 2, "the calendar opens at the day, not at its top"
    context.close()


@pytest.mark.parametrize(("typed", "found"), [("prevencion", "La prevención"), ("Oświęcim", "Lemkin Seminar")])
def test_accents_or_none_find_the_same_pages(demo_site, chromium, typed, found):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{demo_site.url}/search/")
    search(page, typed)
    titles = page.locator(".search-results--pages .search-result__title").all_inner_texts()
    assert any(found in title for title in titles), titles
    context.close()
