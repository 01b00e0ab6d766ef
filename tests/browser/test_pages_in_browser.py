"""Every page type, and every other view a visitor sees, as Chromium shows it.

The list of pages is `site_pages.VISITS`: one demo page of each page type in English and in Spanish
(found in the database after `load_demo_content`) and the views in `OTHER_VIEWS`. Screenshots at each
width land in test-artifacts/browser/screenshots/, named after the visit and the width
(`HomePage-es-320.png`).
"""

import pytest

from .conftest import CONTROL_DOCUMENT
from .inspection import AXE_TAGS
from .site_pages import VISITS, missing_demo_page_message

pytestmark = pytest.mark.browser

each_visit = pytest.mark.parametrize("visit", VISITS, ids=lambda visit: visit.name)


def test_every_page_type_has_a_demo_page(demo_site):
    missing = sorted({visit.demo_page for visit in VISITS if not demo_site.has_page_for(visit)})
    assert not missing, missing_demo_page_message(missing)


@each_visit
def test_loads_without_errors(page_reports, visit):
    report = page_reports(visit)
    trouble = {
        "console errors": report.console_errors,
        "failed requests": report.failed_requests,
        "Content Security Policy violations": report.csp_violations,
    }
    assert report.status == visit.status, report.url
    assert not {kind: found for kind, found in trouble.items() if found}, report.url


@each_visit
def test_says_the_language_it_is_in(page_reports, visit):
    report = page_reports(visit)
    assert report.lang == visit.language, report.url


@each_visit
def test_has_no_accessibility_violations(page_reports, visit):
    report = page_reports(visit)
    violations = {width: found for width, found in report.axe_violations.items() if found}
    assert not violations, f"axe-core ({', '.join(AXE_TAGS)}) on {report.url}"


@each_visit
def test_does_not_scroll_sideways_at_320px(page_reports, visit):
    report = page_reports(visit)
    assert report.scroll_widths[320] <= 320, f"{report.url} is {report.scroll_widths[320]} px wide on a 320 px screen"


@each_visit
def test_skip_link_reaches_the_main_content(page_reports, visit):
    report = page_reports(visit)
    problems = {width: problem for width, problem in report.skip_link.items() if problem}
    assert not problems, report.url


@each_visit
def test_every_interactive_element_shows_focus(page_reports, visit):
    report = page_reports(visit)
    assert all(stops > 1 for stops in report.focus_stops.values()), f"Tab reached almost nothing on {report.url}"
    problems = {width: elements for width, elements in report.unfocusable.items() if elements}
    assert not problems, report.url


def test_the_html_checker_sees_errors(html_errors):
    # A control document with two known errors: proof that the checker read the files it was given.
    assert len(html_errors[CONTROL_DOCUMENT]) == 2


@each_visit
def test_is_valid_html(html_errors, visit):
    errors = html_errors.get(visit.name)
    if errors is None:
        pytest.fail(missing_demo_page_message([visit.demo_page]), pytrace=False)
    assert not errors, "Nu Html Checker errors"
