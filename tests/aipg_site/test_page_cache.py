"""The anonymous page cache serves repeat visits without work, and an edit shows on the next request."""

import gzip

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from aipg_site.models import NavigationSettings, Office, OrganisationSettings, StandardPage
from aipg_site.page_cache.middleware import PAGE_KEY_PREFIX

from ..factories import OfficeFactory, SiteImageFactory, StandardPageFactory


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def about(home):
    # Site settings are created on the first page view, which would purge; create them up front.
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    about = StandardPageFactory(parent=home, title="About us", slug="about")
    StandardPageFactory(parent=about, title="Our history", slug="history")
    return about


def status(response):
    return response.get("X-Page-Cache")


def visit(url):
    """A first-time anonymous visitor: no cookies."""
    return Client().get(url)


def test_a_repeat_visit_is_served_from_the_cache_without_a_query(about, django_assert_num_queries):
    first = visit(about.url)
    assert status(first) == "miss"
    # Zero is the point: a cached page is served without touching the database at all.
    with django_assert_num_queries(0):
        second = visit(about.url)
    assert status(second) == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_each_query_string_is_its_own_entry(about):
    visit("/search/?q=history")
    assert status(visit("/search/?q=history")) == "hit"
    assert status(visit("/search/?q=about")) == "miss"


def test_publishing_a_page_shows_on_the_next_request(about):
    visit(about.url)
    about.title = "Who we are"
    about.save_revision().publish()
    response = visit(about.url)
    assert status(response) == "miss"
    assert "Who we are" in response.content.decode()


def test_publishing_a_child_updates_its_parents_listing(about):
    history = about.get_children().get().specific
    visit(about.url)
    history.title = "A short history"
    history.save_revision().publish()
    assert "A short history" in visit(about.url).content.decode()


def test_a_saved_draft_does_not_purge_or_leak(about):
    visit(about.url)
    about.title = "A draft title"
    about.save_revision()
    response = visit(about.url)
    assert status(response) == "hit"
    assert "A draft title" not in response.content.decode()


def test_unpublishing_a_page_takes_it_off_listings_and_its_own_address(about):
    history = about.get_children().get().specific
    visit(about.url), visit(history.url)
    history.unpublish()
    assert "Our history" not in visit(about.url).content.decode()
    assert visit(history.url).status_code == 404


def test_moving_a_page_shows_on_the_next_request(home, about):
    history = about.get_children().get().specific
    other = StandardPageFactory(parent=home, title="Programs", slug="programs")
    visit(about.url), visit(other.url)
    history.move(other, pos="last-child")
    assert "Our history" not in visit(about.url).content.decode()
    assert "Our history" in visit(other.url).content.decode()


def test_deleting_a_page_shows_on_the_next_request(about):
    visit(about.url)
    about.get_children().get().delete()
    assert "Our history" not in visit(about.url).content.decode()


def test_changing_a_snippet_shows_on_every_page(about):
    office = OfficeFactory(city="Kampala")
    visit(about.url)
    office.city = "Buenos Aires"
    office.save()
    assert "Buenos Aires" in visit(about.url).content.decode()
    Office.objects.all().delete()
    assert "Buenos Aires" not in visit(about.url).content.decode()


def test_changing_a_site_setting_shows_on_every_page(about):
    visit(about.url)
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.tagline = "Prevention is possible"
    organisation.save()
    assert "Prevention is possible" in visit(about.url).content.decode()


def test_changing_an_image_shows_on_the_pages_that_show_it(about):
    image = SiteImageFactory(credit="A photographer")
    about.hero_image = image
    about.save_revision().publish()
    assert "A photographer" in visit(about.url).content.decode()
    image.credit = "Another photographer"
    image.save()
    assert "Another photographer" in visit(about.url).content.decode()


def test_changing_a_document_shows_on_the_pages_that_link_to_it(about):
    document = get_document_model().objects.create(title="Annual report", file=ContentFile(b"%PDF-1.4", "r.pdf"))
    about.body = [{"type": "document", "value": {"document": document.pk, "title": "", "description": ""}}]
    about.save_revision().publish()
    assert "Annual report" in visit(about.url).content.decode()
    document.title = "Annual report 2024"
    document.save()
    assert "Annual report 2024" in visit(about.url).content.decode()


def test_logged_in_editors_bypass_the_cache_and_never_fill_it(admin_client, about):
    response = admin_client.get(about.url)
    assert status(response) is None
    assert status(admin_client.get(about.url)) is None
    assert status(visit(about.url)) == "miss"


def test_previews_are_never_cached(admin_client, about):
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[about.pk])
    edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[about.pk])).content.decode()
    data = querydict_from_html(edit_page, form_id="page-edit-form")
    data.setdefault("body-count", "0")
    for title in ("First preview", "Second preview"):
        data["title"] = title
        admin_client.post(preview_url, data)
        assert title in admin_client.get(preview_url).content.decode()
    assert "preview" not in visit(about.url).content.decode()


@pytest.mark.urls("tests.aipg_site.form_urls")
def test_a_page_with_a_csrf_form_is_never_cached(home):
    first, second = Client(), Client()
    first_response, second_response = first.get("/form/"), second.get("/form/")
    assert status(first_response) is status(second_response) is None
    assert first_response.cookies["csrftoken"].value != second_response.cookies["csrftoken"].value
    # Each visitor posts the token their own page gave them.
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_a_page_type_can_opt_out(monkeypatch, about):
    monkeypatch.setattr(StandardPage, "cache_page", False, raising=False)
    first, second = visit(about.url), visit(about.url)
    assert status(first) is status(second) is None
    assert "no-store" in second["Cache-Control"]
    assert "private" in second["Cache-Control"]


def test_a_visitor_with_a_session_is_not_served_someone_elses_page(about):
    visit(about.url)
    client = Client()
    client.cookies["sessionid"] = "their-own-session"
    assert status(client.get(about.url)) is None


def test_the_cache_is_off_when_its_lifetime_is_zero(settings, about):
    settings.PAGE_CACHE_SECONDS = 0
    visit(about.url)
    assert status(visit(about.url)) is None


def test_with_a_cdn_cacheable_pages_say_how_long_it_may_keep_them(settings, about):
    settings.FRONTEND_CACHE_MAX_AGE = 300
    for response in (visit(about.url), visit(about.url)):
        assert "s-maxage=300" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_without_a_cdn_pages_carry_no_shared_cache_lifetime(about):
    assert "s-maxage" not in visit(about.url).get("Cache-Control", "")


def page_cache_entries():
    return [key for key in cache._cache if PAGE_KEY_PREFIX in key]


def test_tracking_parameters_are_served_the_pages_one_copy_and_never_echoed(about):
    visit(about.url)
    shared = visit(f"{about.url}?utm_source=newsletter&utm_campaign=9-december&fbclid=abc123")
    assert status(shared) == "hit"
    assert b"newsletter" not in shared.content
    assert b"abc123" not in shared.content
    assert len(page_cache_entries()) == 1


def test_the_parameters_a_page_reads_make_one_entry_in_any_order(about):
    visit("/search/?q=history&page=1")
    assert status(visit("/search/?page=1&q=history")) == "hit"


@pytest.mark.parametrize("query", ["?foo=1", "?q=a&q=b", "?q=" + "x" * 400, "?page=1&session=1"])
def test_any_other_query_is_rendered_but_never_stored(about, query):
    response = visit(f"{about.url}{query}")
    assert response.status_code == 200
    assert status(response) is None
    assert page_cache_entries() == []


def test_an_anonymous_flood_of_invented_query_strings_adds_no_entries(about):
    for number in range(500):
        assert visit(f"{about.url}?utm_campaign={number}").status_code == 200
        assert visit(f"{about.url}?x={number}").status_code == 200
    assert len(page_cache_entries()) == 1  # the page itself, shared by every tracked link


def test_a_page_is_gzipped_for_clients_that_accept_it_and_kept_once_per_encoding(about):
    zipped = Client(headers={"Accept-Encoding": "gzip, deflate, br"})
    first = zipped.get(about.url)
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    page = gzip.decompress(first.content)
    plain = visit(about.url)
    assert "Content-Encoding" not in plain
    assert plain.content == page
    assert status(plain) == "miss"  # its own copy
    hit = zipped.get(about.url)
    assert status(hit) == "hit"
    assert hit.content == first.content  # the stored bytes, not compressed again
    assert status(visit(about.url)) == "hit"
    assert len(page_cache_entries()) == 2


def test_the_page_cache_off_pages_are_gzipped_all_the_same(settings, about):
    settings.PAGE_CACHE_SECONDS = 0
    zipped = Client(headers={"Accept-Encoding": "gzip"})
    assert b"Our history" in gzip.decompress(zipped.get("/search/?q=history").content)


@pytest.mark.urls("tests.aipg_site.form_urls")
def test_a_page_carrying_a_csrf_token_is_never_compressed(home):
    """BREACH guesses a secret from compressed sizes: a page with a token is sent as it is."""
    response = Client(headers={"Accept-Encoding": "gzip"}).get("/form/")
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")
