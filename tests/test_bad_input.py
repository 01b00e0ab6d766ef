"""Whatever a visitor or a crawler sends, no page answers with a server error.

Hypothesis generates query strings (the parameters pages read, others, repeated ones, any text),
form posts and path segments, and sends them to every page type and to every URL of our own that
takes input. `HYPOTHESIS_EXAMPLES` sets how many examples each test tries (60 by default, as CI runs
it; ask for thousands locally). Runs on SQLite and on PostgreSQL with the rest of the suite.
"""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import get_page_models

from .donations.fake_stripe import FakeStripe
from .factories import create_page

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "60"))
PROJECT_APPS = {"aipg_site", "stories", "donations", "resources"}
PAGE_MODELS = [model for model in get_page_models() if model._meta.app_label in PROJECT_APPS]

# Text as hostile as a query string can carry: controls and NUL, quotes, search syntax, long runs.
ANY_TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("\x00\"'*()^:-+%&=?#/\\<>"))),
    max_size=300,
)
VALUES = st.one_of(
    ANY_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "2026", "abc", "relevance", "title", "newest", "once", "monthly", "USD", "EUR"]),
)
NAMES = st.one_of(
    st.sampled_from(
        ["q", "page", "sort", "topic", "region", "program", "year", "collection", "language", "p", "frequency",
         "currency", "amount", "resume", "session_id", "utm_source", "fbclid"]
    ),
    ANY_TEXT.filter(bool),
)  # fmt: skip
QUERIES = st.lists(st.tuples(NAMES, VALUES), max_size=6)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(home):
    """One page of every type, published."""
    return {model.__name__: create_page(model, home) for model in PAGE_MODELS}


@pytest.mark.django_db
@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_no_query_string_makes_a_page_fail(site, model):
    visit_with_generated_queries(site[model.__name__].url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/search/",
        "/donate/thank-you/",
        "/donate/manage/",
        "/feeds/stories/rss/",
        "/feeds/library/rss/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
    ],
)
def test_no_query_string_makes_our_own_views_fail(site, url):
    visit_with_generated_queries(url)


def visit_with_generated_queries(url):
    @SETTINGS
    @given(query=QUERIES)
    def visit(query):
        response = Client(raise_request_exception=False).get(url, query)
        assert response.status_code < 500, (url, query)

    visit()


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["donate", "manage", "csp-report"])
def test_no_form_post_makes_a_form_fail(site, settings, form):
    # Giving set up against the tests' fake Stripe: a form that validates goes all the way to Checkout.
    stripe = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = stripe.url
    settings.STRIPE_REDIRECT_ORIGINS = [stripe.url]
    url = {"donate": site["DonatePage"].url, "manage": "/donate/manage/", "csp-report": "/csp-report/"}[form]

    @SETTINGS
    @given(fields=QUERIES)
    def post(fields):
        data = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        response = Client(raise_request_exception=False).post(url, data)
        assert response.status_code < 500, (url, fields)

    try:
        post()
    finally:
        stripe.stop()


@pytest.mark.django_db
def test_no_path_makes_the_site_fail(site):
    prefixes = ["/", "/documents/1/", "/documents/", "/stories/", "/resources/", "/donate/", "/feeds/"]

    @SETTINGS
    @given(prefix=st.sampled_from(prefixes), segment=ANY_TEXT.filter(lambda text: "\x00" not in text))
    def visit(prefix, segment):
        response = Client(raise_request_exception=False).get(prefix + segment)
        assert response.status_code < 500, (prefix, segment)

    visit()
