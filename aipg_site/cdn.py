"""What a frontend cache (Varnish, a CDN) must forget when the site changes, besides the page itself.

Wagtail's frontend_cache (installed when FRONTEND_CACHE_BACKEND is set) purges the page's own
address, in its own language: /es/about/ for the Spanish About page. Other addresses show it too,
and a cache in front would keep serving them as they were until FRONTEND_CACHE_MAX_AGE runs out:
- its translations in the other languages: their language switcher and `hreflang` alternates name
  it only while it is live (aipg_site/translations.py), so an English page changes when its Spanish
  translation goes live or is withdrawn, and the other way round;
- its ancestors in its own language: the listing it appears in and the home page's latest;
- any other page its type names in `pages_showing_it()` (the commemorations calendar, say);
- the feeds and calendar files of its language (/feeds/* or /es/feeds/*), the search page of its
  language, and the sitemap (/sitemap.xml and its sections).
Every address is purged as a path: site.vcl bans the path with all its query strings, so a
listing's pages and filters, the search page's queries and the sitemap's pages go with it.

Some changes show on every page, or move addresses: a page moved (its children's addresses move
with it), a snippet (the footer's offices, the menu), a site setting, an image, a document, a site
or a privacy restriction saved or deleted (the same models that retire the page cache,
`page_cache.signal_handlers.shown_on_pages`). Those purge "/*" on every site, which site.vcl turns
into a ban of everything on the host. A CDN purged by exact address does not understand "/*" and
keeps the query variants: there they wait for FRONTEND_CACHE_MAX_AGE, which should stay short.

Making a page private, or public again, is no publish, and Wagtail purges nothing: here the page,
the pages below it (the privacy covers them) and all their translations (whose alternates name them
only while they are public) are purged, so no cache keeps serving the public copy of a page just
made private.

Purges are never sent from the editor's request: Wagtail's PurgeBatch queues them as a task, which
the task worker sends with `HTTPBackend` below (a timeout, failures logged). The task row is written
in the publishing transaction, so the worker purges only once the change is committed and the
next fetch reads it.

The page cache needs none of this: any publish retires every page it keeps (aipg_site/page_cache).
"""

import logging
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .page_cache.signal_handlers import shown_on_pages
from .sitemaps import SITEMAPS

logger = logging.getLogger("aipg_site.cdn")

# A purge of a path ending in "*" drops everything under it (site.vcl).
EVERYTHING = "/*"


def register_signal_handlers():
    page_published.connect(_purge_pages_showing_it, dispatch_uid="cdn_page_published")
    page_unpublished.connect(_purge_pages_showing_it, dispatch_uid="cdn_page_unpublished")
    post_page_move.connect(purge_every_page, dispatch_uid="cdn_page_moved")
    post_save.connect(_purge_the_section, sender=PageViewRestriction, dispatch_uid="cdn_privacy_saved")
    post_delete.connect(_purge_the_section, sender=PageViewRestriction, dispatch_uid="cdn_privacy_deleted")
    post_save.connect(_purge_every_page_if_shown, dispatch_uid="cdn_model_saved")
    post_delete.connect(_purge_every_page_if_shown, dispatch_uid="cdn_model_deleted")


def pages_showing(page):
    """The live pages, other than `page`, whose content changes when it is published or withdrawn."""
    pages = [*page.get_translations().live(), *page.get_ancestors().live().filter(depth__gt=1)]
    shown_on = getattr(page.specific_deferred, "pages_showing_it", None)
    if shown_on is not None:
        pages.extend(shown_on())
    return pages


def paths_listing(page):
    """The addresses, other than pages, that list `page`: its language's feeds and calendar files,
    its language's search page, and the sitemap (one for every language)."""
    language = page.locale.language_code
    with translation.override(language):
        search = reverse("search")
    # i18n_patterns(prefix_default_language=False) in aipg_site/urls.py: /feeds/ in English, /es/feeds/ in Spanish.
    feeds = ("" if language == settings.LANGUAGE_CODE else f"/{language}") + "/feeds/*"
    sitemaps = [reverse("sitemap")] + [reverse("sitemap_section", kwargs={"section": name}) for name in SITEMAPS]
    return [feeds, search, *sitemaps]


def _purge_pages_showing_it(instance, **kwargs):
    def urls(batch):
        batch.add_pages(pages_showing(instance))
        site = instance.get_site()
        if site is not None:
            batch.add_urls(site.root_url + path for path in paths_listing(instance))

    _purge(urls)


def _purge_the_section(instance, **kwargs):
    section = Page.objects.descendant_of(instance.page, inclusive=True)
    in_every_language = Page.objects.live().filter(translation_key__in=section.values("translation_key"))
    _purge(lambda batch: batch.add_pages(in_every_language))


def purge_every_page(**kwargs):
    _purge(lambda batch: batch.add_urls(site.root_url + EVERYTHING for site in Site.objects.all()))


def _purge_every_page_if_shown(sender, instance, **kwargs):
    # Pages themselves are handled above: a saved draft shows nowhere, a publish names its pages.
    if not isinstance(instance, Page) and shown_on_pages(sender, instance):
        purge_every_page()


def _purge(add_urls):
    # Without a frontend cache there is nothing to tell, and no task to queue on every publish.
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    add_urls(batch)
    batch.purge()


class HTTPBackend(WagtailHTTPBackend):
    """Wagtail's HTTP purger (a PURGE request to LOCATION, with the page's path and Host), with a
    timeout: Wagtail's waits for ever, and a hung Varnish would hold the task worker with it.
    A purge that fails is logged (a stale page then lasts until FRONTEND_CACHE_MAX_AGE runs out)."""

    def __init__(self, params):
        self.timeout = params.pop("TIMEOUT", 5)
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310 - LOCATION is the operator's setting
                pass
        except HTTPError as error:
            logger.error("Could not purge %s from the frontend cache: HTTP %d %s", url, error.code, error.reason)
        except OSError as error:  # refused, unreachable, timed out (URLError is an OSError)
            logger.error("Could not purge %s from the frontend cache: %s", url, getattr(error, "reason", error))
