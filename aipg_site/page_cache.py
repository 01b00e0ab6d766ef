"""The anonymous page cache: pages rendered once and served from the shared cache, until anything changes.

Anonymous visitors all see the same page, so the first one's rendering is kept in the default cache
(Redis in production, shared by every worker and server) and served to the next ones without
touching sessions, the database or templates.

Purging is deliberately coarse: every stored page carries the site-wide *generation* current when it
was rendered, and any edit that can change what a page shows (a page published, unpublished, moved or
deleted; a snippet, a site setting, an image, a document, a site or a privacy setting saved or
deleted) replaces the generation, which retires every stored page at once. The next visitor renders
the page afresh. An editor never has to think about which listings show which page, and a new page
type or snippet is covered without a line of code: snippets, settings, images and documents are
recognised by their base classes. Another kind of model that pages show can join with
`purge_when_changed(Model)`.

The same generation keeps `remember`ed values: what a listing derives from all its pages (how many
match, which years they span) costs a scan of every page, so it is worked out once per purge and
then read from the cache, whether or not the page around it is cached.

What is never served from or stored in the cache:
- requests that carry a session cookie (editors, and anyone with state of their own), a messages
  cookie or an Authorization header, and everything under /admin/ (previews included);
- responses that set a cookie: rendering a CSRF token sets the CSRF cookie, so a page with a form
  opts out by itself and nobody is ever handed someone else's token;
- responses marked private or no-store (Django's `never_cache`), anything but a 200, streamed files,
  and responses that vary on anything but the cookie;
- page types with `cache_page = False` (the donate page), which also get `Cache-Control: no-store`
  so no CDN or browser keeps them either.
"""

import hashlib
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, cc_delim_re, patch_cache_control
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import cache as cache_backend

GENERATION_KEY = "page-cache:generation"
PAGE_KEY_PREFIX = "page-cache:page:"
REMEMBERED_KEY_PREFIX = "page-cache:remembered:"
# A remembered value is kept until the next purge, or this long if nothing is published meanwhile.
REMEMBER_SECONDS = 24 * 60 * 60
EXCLUDED_PATH_PREFIXES = ("/admin/", "/django-admin/", "/documents/")
# Header telling tests, the benchmark and curious operators whether a page came from the cache.
STATUS_HEADER = "X-Page-Cache"

_purging_models = [AbstractImage, AbstractDocument, BaseSiteSetting, BaseGenericSetting, Site, BaseViewRestriction]


def purge():
    """Retire every cached page: now, and again when the current transaction commits.

    The second purge covers a visitor who rendered the page between the edit and its commit and
    stored the old content under the new generation."""
    _new_generation()
    transaction.on_commit(_new_generation)


def exclude(request):
    """Keep this request's response out of the cache (and out of any CDN's and browser's)."""
    request.page_cache_excluded = True


def remember(key, compute):
    """`compute()`, worked out once per generation: for values derived from published content only."""
    full_key = REMEMBERED_KEY_PREFIX + key
    found = cache.get_many([GENERATION_KEY, full_key])
    generation = found.get(GENERATION_KEY) or _new_generation()
    stored = found.get(full_key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    value = compute()
    cache.set(full_key, (generation, value), REMEMBER_SECONDS)
    return value


def query_key(queryset):
    """A cache key naming exactly what `queryset` selects (its SQL, with its parameters)."""
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def purge_when_changed(model):
    """Purge the cache whenever an instance of `model` (or a subclass) is saved or deleted."""
    _purging_models.append(model)


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


class PageCacheMiddleware:
    """Every stored page is keyed by the page's address and the parameters it reads: whatever query
    strings an anonymous flood invents, the number of entries is bounded by the pages and their
    filters. Any other parameter makes the page rendered for that request and not stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _may_use_cache(request):
            return self._exclude_if_asked(request, self.get_response(request))

        _drop_tracking_parameters(request)
        query = _key_query(request)
        if query is None:
            return self._exclude_if_asked(request, self.get_response(request))
        page_key = PAGE_KEY_PREFIX + request.build_absolute_uri(request.path) + query
        # One round trip for both: the generation and the stored page.
        found = cache.get_many([GENERATION_KEY, page_key])
        generation = found.get(GENERATION_KEY) or _new_generation()
        stored = found.get(page_key)
        if stored is not None and stored[0] == generation:
            return _rebuild(stored)

        response = self._exclude_if_asked(request, self.get_response(request))
        if request.method == "GET" and _may_store(request, response):
            if settings.FRONTEND_CACHE_MAX_AGE:
                patch_cache_control(response, public=True, s_maxage=settings.FRONTEND_CACHE_MAX_AGE)
            cache.set(page_key, _stored_form(generation, response), settings.PAGE_CACHE_SECONDS)
            response[STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def _exclude_if_asked(request, response):
        if getattr(request, "page_cache_excluded", False):
            add_never_cache_headers(response)
        return response


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


def _may_store(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    varies_on = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "page_cache_excluded", False)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and varies_on <= {"cookie"}
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


def _new_generation():
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    return generation


# Signals ---------------------------------------------------------------------------------------


def connect_purge_signals():
    """Called once from the app's ready(): every edit that can change a page purges the cache."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on_signal, dispatch_uid=f"page_cache_{signal}")
    post_save.connect(_purge_on_save, dispatch_uid="page_cache_post_save")
    post_delete.connect(_purge_on_delete, dispatch_uid="page_cache_post_delete")
    # A purge attempted while Redis was away was lost: start afresh when it is back.
    cache_backend.on_recovery(_new_generation)


def _purge_on_signal(**kwargs):
    purge()


def _purge_on_save(sender, instance, **kwargs):
    # Saving a page without publishing it (a draft, an autosave) changes nothing visitors see, and
    # image renditions are made while pages render: neither may purge.
    if _shown_on_pages(sender, instance):
        purge()


def _purge_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) or _shown_on_pages(sender, instance):
        purge()


def _shown_on_pages(sender, instance):
    return isinstance(instance, tuple(_purging_models)) or sender in get_snippet_models()
