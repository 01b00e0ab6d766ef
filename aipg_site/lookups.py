"""What every request looks up alike, kept in each worker's memory for one page-cache generation.

Before a page renders, Wagtail finds the Site for the host, walks the page tree from the site's root
to the address (a query per level), reads the Locale of the active language several times over
(`Locale.get_active()` is not cached by Wagtail) and loads the site's settings: a dozen queries,
the same for every reader of an address. They change only when an editor publishes, moves or
deletes a page, or saves a site, a setting or a locale, and each of those replaces the page cache's
generation (`page_cache.generation`). So each web worker keeps them in its own memory under the
generation read once at the start of the request (one Redis round trip): the first request after
any edit, on every worker, finds a new generation, drops everything kept and looks afresh. Nothing
kept depends on the reader: only the Site and Locale rows, a setting's row, and which page
(its id and type) an address routes to; the page itself is read by id on every request, so its
privacy and its serve hooks are checked as before.

Everything is off where freshness is the point or there is no generation: under /admin/ (editors
and previews), outside a request (tasks, commands), and without Redis (each request then starts a
generation of its own). A
value is handed out as a copy, so nothing a request sets on it reaches another request.
"""

import copy
import functools
import threading
from contextvars import ContextVar

from django.core.cache import cache
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Site

from .middleware import is_admin_path
from .page_cache.generation import GENERATION_KEY, new_generation

_generation = ContextVar("lookups_generation", default=None)
_memory = {"generation": None, "values": {}}
_lock = threading.Lock()
_MISSING = object()


def kept(key, compute):
    """`compute()`, kept in this worker for the request's generation (a copy of it); worked out
    every time outside a request, under /admin/ or without Redis. None is never kept."""
    generation = _generation.get()
    if generation is None:
        return compute()
    with _lock:
        if _memory["generation"] != generation:
            _memory["generation"], _memory["values"] = generation, {}
        values = _memory["values"]
    value = values.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        if value is None:
            return None
        values[key] = value
    return copy.copy(value)


def peek(key):
    """What is kept under `key` for the request's generation (a copy), or None: never works it out."""
    generation = _generation.get()
    if generation is None or _memory["generation"] != generation:
        return None
    value = _memory["values"].get(key)
    return copy.copy(value) if value is not None else None


class LookupsMiddleware:
    """Reads the generation once per request (pages only), hands the request its Site from memory,
    and routes an address Wagtail serves through `route` before Wagtail's view asks for the route."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path_info) or getattr(request, "is_dummy", False):
            return self.get_response(request)
        # With none yet (an emptied cache), one starts, as for the page cache itself.
        token = _generation.set(cache.get(GENERATION_KEY) or new_generation())
        key = ("site", request._get_raw_host(), request.get_port())
        try:
            # The site this worker found for the host before, if any; else Wagtail finds it when a
            # view asks (a view that never asks, such as the CSP reports, reads no database), and
            # it is kept for the next request.
            site = peek(key)
            if site is not None and not hasattr(request, "_wagtail_site"):
                request._wagtail_site = site
            response = self.get_response(request)
            if site is None and getattr(request, "_wagtail_site", None) is not None:
                kept(key, lambda: request._wagtail_site)
            return response
        finally:
            _generation.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is serve and request.method in ("GET", "HEAD") and _generation.get() is not None:
            route(request, view_args[0] if view_args else view_kwargs.get("path", ""))


class KeptSetting:
    """For a site setting: its row for a site, kept per generation (saving a setting purges)."""

    @classmethod
    def for_site(cls, site):
        if site is None:
            return super().for_site(site)
        return kept(("setting", cls._meta.label, site.pk), lambda: super(KeptSetting, cls).for_site(site))


def route(request, path):
    """Wagtail's route for `path` on this request's site, as `Page.route_for_request` gives it, with
    the walk down the tree replaced by one read of the page by id when this worker has routed the
    address already in this generation. The page found then routes what is left of the address
    itself (a RoutablePage's own sub-addresses), as Wagtail's walk would have it do. A 404 is never
    kept: it takes Wagtail's walk every time."""
    from wagtail.models import Page

    if hasattr(request, "_wagtail_route_for_request") or _generation.get() is None:
        return Page.route_for_request(request, path)
    site = Site.find_for_request(request)
    if site is None:
        return Page.route_for_request(request, path)
    components = [component for component in path.split("/") if component]

    def walk():
        result = Page.route_for_request(request, path)
        if result is None:
            return None
        # How many of the address's parts the tree used up: the page's depth below the site's root
        # (whose translations are its siblings, at the same depth).
        return type(result.page), result.page.pk, result.page.depth - site.root_page.depth

    found = kept(("route", site.pk, translation.get_language(), path), walk)
    if found is not None and not hasattr(request, "_wagtail_route_for_request"):
        model, pk, used = found
        page = model._default_manager.filter(pk=pk, live=True).first()
        if page is not None:
            try:
                request._wagtail_route_for_request = page.route(request, components[used:])
            except Http404:
                request._wagtail_route_for_request = None
    result = Page.route_for_request(request, path)
    if result is not None:
        # Its locale and its privacy, as every reader of the address reads them.
        page = result.page
        page.locale = kept(("locale-id", page.locale_id), lambda: Locale.objects.get(pk=page.locale_id))
        page.get_view_restrictions = functools.partial(view_restrictions, page)
    return result


def view_restrictions(page):
    """`page.get_view_restrictions()` (its own and its ancestors'), kept per generation: saving or
    deleting a restriction, or moving a page, purges. A queryset already filled, so Wagtail's
    privacy check and `.exists()` read it without a query, and any further filter asks the database."""
    from wagtail.models import Page, PageViewRestriction

    restrictions = kept(("restrictions", page.pk), lambda: list(Page.get_view_restrictions(page)))
    queryset = PageViewRestriction.objects.filter(pk__in=[restriction.pk for restriction in restrictions])
    queryset._result_cache = restrictions
    queryset._prefetch_done = True
    return queryset


_wagtail_get_active = Locale.get_active.__func__


def _get_active(cls):
    """Wagtail's `Locale.get_active`, kept per language for the generation."""
    return kept(("locale", translation.get_language()), lambda: _wagtail_get_active(cls))


def keep_active_locales():
    """Replace `Locale.get_active` with the kept one (from the app's ready())."""
    Locale.get_active = classmethod(_get_active)
