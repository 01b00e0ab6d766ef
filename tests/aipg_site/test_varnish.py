"""Varnish in front of the site, as in production: the app under gunicorn with production settings,
a task worker that sends Wagtail's purges, and Debian's varnishd with aipg_site/varnish/site.vcl on
a private port, on the test's PostgreSQL and Redis.

A page is kept and served from Varnish; a publish (through the admin, or `publish()` in this
process, whose purges the worker sends) shows on the next request once its purge is sent, on the page,
its listing with its filters and pages, the feed and the sitemap; a snippet change shows everywhere;
an editor is never served or stored a cached page; a response that sets a cookie is never stored;
a purge from outside the ACL is refused; pages are gzipped once and unzipped for clients that do
not accept gzip.

Run by `make test-servers` (which installs Varnish as root, or says how). A missing varnishd fails the
test with what to do, never a skip.
"""

import gzip
import http.client
import os
from datetime import date

import pytest
import requests
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import querydict_from_html

from aipg_site.models import NavigationSettings

from ..factories import OfficeFactory, StandardPageFactory, StoryIndexPageFactory, StoryPageFactory
from .real_processes import (
    REDIS_URL,
    cached,
    collect_static,
    purged_through,
    purges_sent,
    signed_in_editor,
    start_gunicorn,
    start_varnish,
    start_worker,
    stop,
    varnish_address,
    visit,
)

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def site(home):
    """The site at the address visitors use: purges carry the site's host, and Varnish matches it."""
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=80)
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    return home


@pytest.fixture
def varnish(tmp_path, database_url, settings, site):
    """gunicorn, a task worker and Varnish in front; yields Varnish's base URL."""
    varnish_url = varnish_address()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "varnish-test-key-that-is-long-and-random-enough-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FRONTEND_CACHE_BACKEND": "http",
        "FRONTEND_CACHE_LOCATION": varnish_url,
        "LOG_LEVEL": "WARNING",
    }
    # A publish made here retires the app's page cache and purges Varnish as one made in the app would.
    purged_through(settings, varnish_url)
    collect_static(environment)
    running = []
    try:
        server, app_url = start_gunicorn("gunicorn", environment, workers=2)
        running.append(server)
        running.append(start_worker(environment, tmp_path / "worker.log"))
        running.append(start_varnish(tmp_path / "varnish", varnish_url, [app_url]))
        yield varnish_url
    finally:
        for process in reversed(running):
            stop(process)


def test_pages_are_kept_and_a_publish_shows_on_the_next_request(varnish, site, django_user_model):
    about = StandardPageFactory(parent=site, title="About us", slug="about")
    stories = StoryIndexPageFactory(parent=site, title="Stories", slug="stories")
    year = date.today().year
    for number in range(12):
        StoryPageFactory(
            parent=stories, title=f"Story {number}", slug=f"story-{number}", date=date(year, 1, 1 + number)
        )
    purges_sent()

    assert visit(f"{varnish}/about/").headers["X-Cache"] == "miss"
    assert cached(f"{varnish}/about/").text == visit(f"{varnish}/about/").text
    listings = [f"{varnish}/stories/", f"{varnish}/stories/?page=2", f"{varnish}/stories/?year={year}"]
    others = [f"{varnish}/feeds/stories/rss/", f"{varnish}/sitemap.xml", f"{varnish}/sitemap-pages.xml", f"{varnish}/"]
    for url in listings + others:
        cached(url)

    # A new story published here: the worker sends the purges, and every address that lists it is fresh.
    story = StoryPageFactory(
        parent=stories, title="A story just published", slug="just-published", date=date(year, 12, 31), live=False
    )
    story.save_revision().publish()
    purges_sent()
    for url in [f"{varnish}/stories/", f"{varnish}/stories/?year={year}", f"{varnish}/feeds/stories/rss/"]:
        response = visit(url)
        assert response.headers["X-Cache"] == "miss", url
        assert "A story just published" in response.text, url
    assert visit(f"{varnish}/").headers["X-Cache"] == "miss"  # the home page, its ancestor
    assert "just-published" in visit(f"{varnish}/sitemap-pages.xml").text
    assert visit(f"{varnish}/stories/?page=2").headers["X-Cache"] == "miss"  # its pages moved along
    # Pages that do not list it stay cached.
    assert visit(f"{varnish}/about/").headers["X-Cache"] == "hit"

    # Through the admin, by an editor who also goes through Varnish: never served or stored a cached page.
    editor = signed_in_editor(django_user_model, varnish)
    for _ in range(2):
        seen = editor.get(f"{varnish}/about/")
        assert seen.headers["X-Cache"] == "pass"
        assert "private" in seen.headers["Cache-Control"]
    edit_url = f"{varnish}/admin/pages/{about.pk}/edit/"
    form = querydict_from_html(editor.get(edit_url).text, form_id="page-edit-form")
    form["title"] = "Who we are"
    form["action-publish"] = "action-publish"
    form.setdefault("body-count", "0")
    assert editor.post_form(edit_url, dict(form.lists())).status_code == 302
    purges_sent()
    assert "Who we are" in visit(f"{varnish}/about/").text
    assert "Who we are" in cached(f"{varnish}/about/").text


def test_a_snippet_change_shows_everywhere_on_the_next_request(varnish, site):
    about = StandardPageFactory(parent=site, title="About us", slug="about")
    purges_sent()
    for url in (f"{varnish}/", f"{varnish}/about/", f"{varnish}/search/?q=about"):
        cached(url)
    OfficeFactory(city="Kigali", country="Rwanda")
    purges_sent()
    for url in (f"{varnish}/", f"{varnish}/about/", f"{varnish}/search/?q=about"):
        response = visit(url)
        assert response.headers["X-Cache"] == "miss", url
        assert "Kigali" in response.text, url
    assert Page.objects.get(pk=about.pk).live


def test_what_is_personal_is_never_kept(varnish, site):
    StandardPageFactory(parent=site, title="About us", slug="about")
    purges_sent()
    # A session cookie (someone signed in) or a message waiting: straight to the app, never stored.
    for cookie in ("sessionid=someone", "messages=something"):
        assert visit(f"{varnish}/about/", Cookie=cookie).headers["X-Cache"] == "pass"
    assert visit(f"{varnish}/about/").headers["X-Cache"] == "miss"
    # Analytics cookies do not make a visitor a miss; the CSRF cookie reaches the app but not the key.
    assert visit(f"{varnish}/about/", Cookie="_ga=GA1.1.1; csrftoken=abc").headers["X-Cache"] == "hit"
    # A response that sets a cookie (the admin's login form sets the CSRF cookie) is never stored.
    for _ in range(2):
        login = visit(f"{varnish}/admin/login/")
        assert "Set-Cookie" in login.headers
        assert login.headers["X-Cache"] == "pass"
    # Neither is a page whose query no page reads (the app marks it private).
    for _ in range(2):
        assert visit(f"{varnish}/about/?session=1").headers["X-Cache"] == "miss"


def test_a_purge_from_outside_the_acl_is_refused(varnish, site):
    StandardPageFactory(parent=site, title="About us", slug="about")
    purges_sent()
    cached(f"{varnish}/about/")
    # 127.0.0.2 is loopback too, but not in the wrapper's `purgers`.
    host, port = varnish.removeprefix("http://").split(":")
    stranger = http.client.HTTPConnection(host, int(port), timeout=10, source_address=("127.0.0.2", 0))
    stranger.request("PURGE", "/about/")
    assert stranger.getresponse().status == 403
    assert visit(f"{varnish}/about/").headers["X-Cache"] == "hit"
    assert requests.request("PURGE", f"{varnish}/about/", timeout=10).status_code == 200
    assert visit(f"{varnish}/about/").headers["X-Cache"] == "miss"


def test_pages_are_gzipped_once_and_unzipped_for_clients_without_gzip(varnish, site):
    StandardPageFactory(parent=site, title="About us", slug="about")
    purges_sent()
    zipped = requests.get(f"{varnish}/about/", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    raw = zipped.raw.read()
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    page = gzip.decompress(raw).decode()
    plain = requests.get(f"{varnish}/about/", headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["X-Cache"] == "hit"  # the one gzipped object, unzipped on the way out
    assert plain.text == page
    assert len(raw) < len(plain.content) / 2
