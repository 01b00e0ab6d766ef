"""The middleware: an anonymous request answered from the cache, or its response stored there."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.text import compress_string

from .generation import read

PAGE_KEY_PREFIX = "page-cache:page:"
EXCLUDED_PATH_PREFIXES = ("/admin/", "/django-admin/", "/documents/")
# Header telling tests, the benchmark and curious operators whether a page came from the cache.
STATUS_HEADER = "X-Page-Cache"

# The query parameters pages read (search, pagination, the listings' filters, the sitemap's `p`):
# only these make a page's cache key, sorted, so `?year=2020&topic=x` and `?topic=x&year=2020` are one.
PAGE_PARAMETERS = frozenset({"page", "q", "sort", "topic", "region", "program", "year", "collection", "language", "p"})
# Added to links by campaigns and social sites, and read by no page: dropped before the page is
# rendered, so a shared link is served the page's one cached copy and never echoes them.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
     "_ga", "_gl", "ref_src"}
)  # fmt: skip
# A key's query is at most this long; a longer one is rendered without being stored.
MAX_KEY_QUERY = 300
# Compressed on the way out: HTML, feeds and the sitemap (XML), iCal, JSON, plain text (robots.txt).
COMPRESSED_TYPES = re.compile(r"(text/(html|xml|calendar|plain|css)|application/([a-z.+-]*\+)?(xml|json))\b", re.I)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Below this, gzip's header costs more than it saves.
MIN_COMPRESSED_LENGTH = 200


def exclude(request):
    """Keep this request's response out of the cache (and out of any CDN's and browser's)."""
    request.page_cache_excluded = True


class PageCacheMiddleware:
    """Every stored page is keyed by the page's address and the parameters it reads: whatever query
    strings an anonymous flood invents, the number of entries is bounded by the pages and their
    filters. Any other parameter makes the page rendered for that request and not stored.

    It also writes the Cache-Control every other cache reads, whether or not the page cache is on:
    a response the page cache could share between visitors is `public` with `s-maxage` when a
    frontend cache (Varnish, a CDN) is configured; anything else is `private`, which no shared
    cache keeps. Both come from the one decision, so Varnish never holds what this cache would not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return _mark_private(request, self.get_response(request))

        _drop_tracking_parameters(request)
        query = _key_query(request)
        gzipped = _accepts_gzip(request)
        page_key = None
        if settings.PAGE_CACHE_SECONDS and query is not None:
            page_key = _key(request, query)
            generation, stored = read(page_key)
            if stored is not None:
                return _rebuild(stored)

        response = self.get_response(request)
        if query is None or not _may_share(request, response):
            return _mark_private(request, response)
        _mark_shared(response)
        _compress(response, gzipped)
        if page_key is not None and request.method == "GET":
            cache.set(page_key, _stored_form(generation, response), settings.PAGE_CACHE_SECONDS)
            response[STATUS_HEADER] = "miss"
        return response


def _mark_shared(response):
    """Kept by a frontend cache for FRONTEND_CACHE_MAX_AGE and served stale for
    FRONTEND_CACHE_STALE_WHILE_REVALIDATE while it fetches a fresh copy. Browsers revalidate pages
    every time (max-age=0), since a publish purges the frontend cache and nobody can purge a
    browser's; a view that gave browsers a lifetime of its own (the feeds' and calendars' hour) keeps it."""
    if settings.FRONTEND_CACHE_MAX_AGE:
        browsers = {} if get_max_age(response) is not None else {"max_age": 0}
        patch_cache_control(
            response,
            public=True,
            s_maxage=settings.FRONTEND_CACHE_MAX_AGE,
            stale_while_revalidate=settings.FRONTEND_CACHE_STALE_WHILE_REVALIDATE,
            **browsers,
        )


def _accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _compress(response, gzipped):
    """Gzip a shared page for a client that accepts it, once: the page cache then keeps the gzipped
    copy and a hit sends it as it is. Only pages every visitor shares are compressed, and those
    carry no secret: a page that renders a CSRF token sets the CSRF cookie, which makes it private
    (and uncompressed), so BREACH has no token to guess at. Behind Varnish, which always asks for
    gzip, the app compresses and Varnish keeps the compressed page as it came."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if (
        not gzipped
        or response.has_header("Content-Encoding")
        or len(response.content) < MIN_COMPRESSED_LENGTH
        or not COMPRESSED_TYPES.match(response.get("Content-Type", ""))
    ):
        return
    compressed = compress_string(response.content)
    if len(compressed) < len(response.content):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(compressed))


def _mark_private(request, response):
    """Anything the page cache would not share is for this visitor alone: `private`, so no shared
    cache stores it whatever else it says, and `no-store` as well when the page type opted out."""
    if getattr(request, "page_cache_excluded", False):
        add_never_cache_headers(response)
    elif "private" not in response.get("Cache-Control", "").lower():
        patch_cache_control(response, private=True)
    return response


def key_for(request):
    """The key this request's page is stored under, or None when its query keeps it out of the cache."""
    query = _key_query(request)
    return None if query is None else _key(request, query)


def _key(request, query):
    # One copy per encoding served: gzipped for nearly every client (and Varnish), plain for the rest.
    encoding = "gzip:" if _accepts_gzip(request) else ""
    return PAGE_KEY_PREFIX + encoding + request.build_absolute_uri(request.path) + query


def _drop_tracking_parameters(request):
    tracking = [name for name in request.GET if name.startswith("utm_") or name in TRACKING_PARAMETERS]
    if tracking:
        kept = request.GET.copy()
        for name in tracking:
            del kept[name]
        request.GET = kept
        request.META["QUERY_STRING"] = kept.urlencode()


def _key_query(request):
    """The part of the key the query string makes ("" or "?a=1&b=2"), or None when the page must not
    be stored: a parameter no page reads, one given twice, or a query too long to be a reader's."""
    if not request.GET:
        return ""
    if any(name not in PAGE_PARAMETERS or len(values) > 1 for name, values in request.GET.lists()):
        return None
    query = "?" + urlencode(sorted(request.GET.items()))
    return query if len(query) <= MAX_KEY_QUERY else None


def _may_use_cache(request):
    return (
        request.method in {"GET", "HEAD"}
        and not request.path_info.startswith(EXCLUDED_PATH_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _may_share(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    varies_on = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "page_cache_excluded", False)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and varies_on <= {"cookie", "accept-encoding"}
    )


def _stored_form(generation, response):
    headers = [(name, value) for name, value in response.items() if name.lower() != STATUS_HEADER.lower()]
    return (generation, response.status_code, headers, response.content)


def _rebuild(stored):
    _generation, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[STATUS_HEADER] = "hit"
    return response
