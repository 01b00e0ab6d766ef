"""The demo site, served live, and Chromium to look at it.

The demo content is loaded once for the whole package, into the test database, and served by Django's
live server thread (pytest-django's helper: static files from the source folders through the finders, media
from a folder of its own). When the package is done the database is put back as it was, so tests that run after
these see the empty site they expect.
"""

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test.utils import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from .inspection import NODE_MODULES, inspect_page
from .site_pages import VISITS, demo_page_paths, missing_demo_page_message

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Checked with the pages: an image without alt text and a duplicated id, two errors the checker must report.
CONTROL_DOCUMENT = "control-with-two-errors"
CONTROL_HTML = """<!DOCTYPE html><html lang="en"><head><title>Control</title></head>
<body><main><p id="twice">One</p><p id="twice">Two</p><img src="a.png"></main></body></html>"""
# Kept out of git (.gitignore); `make test` prints where.
ARTIFACTS = settings.BASE_DIR / "test-artifacts" / "browser"


@pytest.fixture(autouse=True)
def db():
    """Stands in for pytest-django's `db` in this package. Its name alone makes pytest-django create the
    test database; unlike the original it opens no per-test transaction, because these tests read the
    demo site `demo_site` loaded once, and Django refuses database work in the main thread while
    Playwright's event loop runs there."""


@pytest.fixture(autouse=True)
def _media_in_tmp():
    """Overrides the suite's per-test media folder: the live server keeps serving the demo images from
    the one folder `demo_site` made for the whole package."""


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site served live. Its `url`, and `paths`: the demo page of each page type, by type name."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        empty_site = connection.creation.serialize_db_to_string()
        # Wagtail caches renditions by image id: an earlier test's entries name files in its own media folder.
        _clear_caches()
        call_command("load_demo_content", verbosity=0)
        paths = demo_page_paths()
        server = LiveServer("127.0.0.1:0")
        try:
            yield _DemoSite(server.url, paths)
        finally:
            server.stop()
            _restore_database(empty_site)
            _clear_caches()


def _clear_caches():
    for cache in caches.all():
        cache.clear()


def _restore_database(serialized):
    """Put back the database `serialized` describes, sequences included, so later rows get fresh ids."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


class _DemoPagePaths(dict):
    """Demo page paths by visit name; asking for one the demo lacks fails the test saying what to build."""

    def __missing__(self, name):
        pytest.fail(missing_demo_page_message([name]), pytrace=False)


class _DemoSite:
    def __init__(self, url, paths):
        self.url = url
        self.paths = _DemoPagePaths(paths)

    def has_page_for(self, visit):
        return visit.demo_page is None or visit.demo_page in self.paths

    def url_for(self, visit):
        if visit.demo_page is None:
            return self.url + visit.path
        if visit.demo_page not in self.paths:
            pytest.fail(missing_demo_page_message([visit.demo_page]), pytrace=False)
        return self.url + self.paths[visit.demo_page] + (visit.path or "" if visit.on_page else "")


@pytest.fixture(scope="package")
def chromium(demo_site):
    # Starts after `demo_site` and stops before it: Django refuses database work from the main thread
    # while Playwright's event loop is running there.
    if not CHROMIUM.exists():
        pytest.exit(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (`make test` does).", 3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    (ARTIFACTS / "screenshots").mkdir(parents=True)
    (ARTIFACTS / "html").mkdir()
    return ARTIFACTS


@pytest.fixture(scope="package")
def page_reports(demo_site, chromium, artifacts):
    """`page_reports(visit)`: what Chromium saw on that page; each page is opened once for all the checks."""
    reports = {}

    def report_for(visit):
        if visit.name not in reports:
            url = demo_site.url_for(visit)
            reports[visit.name] = inspect_page(chromium, visit, url, artifacts / "screenshots")
        return reports[visit.name]

    return report_for


@pytest.fixture(scope="package")
def html_errors(demo_site, artifacts):
    """The Nu Html Checker's errors for each visited page, by visit name.

    The pages are fetched as served and checked in one Java run: the checker takes seconds to start.
    """
    java = shutil.which("java")
    if java is None:
        pytest.exit("The HTML checker needs Java: install a Java runtime (17 or later).", 3)
    if not VNU_JAR.exists():
        pytest.exit(f"The HTML checker needs {VNU_JAR}: run `npm ci` (`make test` does).", 3)
    control = artifacts / "html" / f"{CONTROL_DOCUMENT}.html"
    control.write_text(CONTROL_HTML)
    files = {control.resolve(): CONTROL_DOCUMENT}
    for visit in VISITS:
        if not demo_site.has_page_for(visit):
            continue
        path = artifacts / "html" / f"{visit.name}.html"
        path.write_bytes(_fetch(demo_site.url_for(visit)))
        files[path.resolve()] = visit.name
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = {name: [] for name in files.values()}
    for message in json.loads(result.stderr)["messages"]:
        # The checker names each file as a file: URL, such as file:/work/site/test-artifacts/...
        name = files.get(Path(message.get("url", "").removeprefix("file:")), "(the checker itself)")
        where = f"line {message.get('lastLine', '?')}"
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{message.get('extract', '').strip()}]")
    assert "(the checker itself)" not in errors, errors["(the checker itself)"]
    return errors


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own live server)
            return response.read()
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.read()
