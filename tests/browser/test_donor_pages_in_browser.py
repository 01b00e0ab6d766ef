"""The pages a donor reaches from their emailed links, through every browser check, in English and
Spanish: the link request form, a monthly gift's manage page, a one-off gift's (statements only), and
the year-end statement with its year picker.

The demo content has no gifts: this module records a donor who gave in two years (one gift partly
refunded, one monthly) and signs their links, as `emails.send_manage_links` does. The statement is
also photographed as printed (print emulation) beside the screen shots.
"""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

from donations import emails
from donations.models import Payment
from tests.donations.factories import DonationFactory, DonorFactory, PaymentFactory

from .conftest import VNU_JAR, _fetch
from .inspection import AXE_TAGS, inspect_page
from .site_pages import Visit

pytestmark = pytest.mark.browser

# Each visit's path is filled in from the donor's links; "{monthly}" and "{once}" name the gift.
DONOR_VISITS = [
    (Visit("donor-manage-request"), "/donate/manage/"),
    (Visit("donor-manage-monthly"), "{monthly}"),
    (Visit("donor-manage-once"), "{once}"),
    (Visit("donor-statement-years"), "{statement}"),
    (Visit("donor-statement-2026"), "{statement}?year=2026"),
    (Visit("donor-manage-request-es", language="es"), "/es/donar/gestionar/"),
    (Visit("donor-manage-monthly-es", language="es"), "{monthly}"),
    (Visit("donor-manage-once-es", language="es"), "{once}"),
    (Visit("donor-statement-years-es", language="es"), "{statement}"),
    (Visit("donor-statement-2026-es", language="es"), "{statement}?year=2026"),
]
each_visit = pytest.mark.parametrize(("visit", "path"), DONOR_VISITS, ids=lambda value: getattr(value, "name", ""))


def paid(donor, amount, when, refunded=0, **fields):
    gift = DonationFactory(donor=donor, amount=amount, stripe_customer_id="cus_browser_ada", **fields)
    PaymentFactory(donation=gift, paid_at=when, amount_refunded=refunded)
    return gift


@pytest.fixture(scope="module")
def donor_links(demo_site, django_db_blocker):
    """Ada's gifts in 2025 and 2026 and her signed links in each language, by language and kind."""
    # Made while the package's Chromium may already be running in this thread; the rows are plain
    # synchronous writes, so Django's guard against async callers does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with django_db_blocker.unblock():
            ada = DonorFactory(name="Ada Lovelace-Byron", email="ada.browser@example.org")
            once = paid(ada, 5000, datetime(2026, 2, 1, 15, tzinfo=UTC), refunded=2000, campaign=None)
            monthly = paid(
                ada, 2500, datetime(2026, 6, 1, 15, tzinfo=UTC), frequency="monthly", status="active", language="es"
            )
            paid(ada, 9000, datetime(2025, 12, 1, 15, tzinfo=UTC))
            links = {}
            for language in ("en", "es"):
                with translation.override(language):
                    links[language] = {
                        "monthly": emails.manage_link(monthly),
                        "once": emails.manage_link(once),
                        "statement": emails.statement_link(once),
                    }
            yield links
            Payment.objects.filter(donation__donor=ada).delete()
            ada.donations.all().delete()
            ada.delete()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def url_of(demo_site, donor_links, visit, path):
    links = {kind: link.split("://", 1)[1].split("/", 1)[1] for kind, link in donor_links[visit.language].items()}
    return demo_site.url + "/" + path.format(**links).lstrip("/")


@pytest.fixture(scope="module")
def donor_reports(demo_site, chromium, artifacts, donor_links):
    reports = {}

    def report_for(visit, path):
        if visit.name not in reports:
            url = url_of(demo_site, donor_links, visit, path)
            reports[visit.name] = inspect_page(chromium, visit, url, artifacts / "screenshots")
        return reports[visit.name]

    return report_for


@each_visit
def test_passes_every_browser_check(donor_reports, visit, path):
    report = donor_reports(visit, path)
    assert report.status == 200, report.url
    assert report.lang == visit.language, report.url
    assert not report.console_errors, report.url
    assert not report.failed_requests, report.url
    assert not report.csp_violations, report.url
    violations = {width: found for width, found in report.axe_violations.items() if found}
    assert not violations, f"axe-core ({', '.join(AXE_TAGS)}) on {report.url}"
    assert report.scroll_widths[320] <= 320, f"{report.url} is {report.scroll_widths[320]} px wide at 320 px"
    assert all(stops > 1 for stops in report.focus_stops.values()), f"Tab reached almost nothing on {report.url}"
    assert not {width: problem for width, problem in report.skip_link.items() if problem}, report.url
    assert not {width: found for width, found in report.unfocusable.items() if found}, report.url


def test_is_valid_html(demo_site, donor_links, artifacts):
    """Every donor page through the Nu Html Checker, in one Java run."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("The HTML checker needs Java and node_modules/vnu-jar (`make browser-tools`).")
    files = {}
    for visit, path in DONOR_VISITS:
        file = artifacts / "html" / f"{visit.name}.html"
        file.write_bytes(_fetch(url_of(demo_site, donor_links, visit, path)))
        files[file.resolve()] = visit.name
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = [
        f"{files.get(Path(message.get('url', '').removeprefix('file:')), '?')} line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in json.loads(result.stderr)["messages"]
    ]
    assert not errors, "Nu Html Checker errors"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_statement_prints_as_the_document_alone(demo_site, chromium, artifacts, donor_links, language):
    """Printed, the statement is the document: no site header, footer, year picker or Print button;
    every gift and the totals are there. Photographed in test-artifacts/browser/screenshots/."""
    visit = Visit(f"donor-statement-print-{language}", language=language)
    url = url_of(demo_site, donor_links, visit, "{statement}?year=2026")
    context = chromium.new_context(viewport={"width": 800, "height": 1100})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    page.screenshot(path=artifacts / "screenshots" / f"{visit.name}.png", full_page=True)
    visible = page.evaluate("""() => [...document.querySelectorAll('header, footer, nav, form, button')]
        .filter(element => !element.matches('.statement__header'))
        .filter(element => element.offsetParent !== null && getComputedStyle(element).display !== 'none')
        .map(element => element.tagName + '.' + element.className)""")
    text = page.locator("main").inner_text()
    context.close()
    assert not visible, visible
    assert "Ada Lovelace-Byron" in text
    assert ("30.00" if language == "en" else "30,00") in text  # the refund netted
    assert "2025" not in text.replace("2026", "")
