"""What a CDN must forget when a page is published or withdrawn, besides the page itself.

Wagtail's frontend_cache (installed when FRONTEND_CACHE_BACKEND is set) purges the page's own
address, in its own language: /es/about/ for the Spanish About page. Other pages show it too, and
a CDN would keep serving them as they were until FRONTEND_CACHE_MAX_AGE runs out:
- its translations in the other languages: their language switcher and `hreflang` alternates name
  it only while it is live (aipg_site/translations.py), so an English page changes when its Spanish
  translation goes live or is withdrawn, and the other way round;
- its ancestors in its own language: the listing it appears in and the home page's latest;
- any other page its type names in `pages_showing_it()` (the commemorations calendar, say).
Making a page private, or public again, is no publish, and Wagtail purges nothing: here the page,
the pages below it (the privacy covers them) and all their translations (whose alternates name them
only while they are public) are purged, so a CDN stops serving the public copy of a page just made
private.
The page cache needs none of this: any publish retires every page it keeps (aipg_site/page_cache).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished


def register_signal_handlers():
    page_published.connect(_purge_pages_showing_it, dispatch_uid="cdn_page_published")
    page_unpublished.connect(_purge_pages_showing_it, dispatch_uid="cdn_page_unpublished")
    post_save.connect(_purge_the_section, sender=PageViewRestriction, dispatch_uid="cdn_privacy_saved")
    post_delete.connect(_purge_the_section, sender=PageViewRestriction, dispatch_uid="cdn_privacy_deleted")


def pages_showing(page):
    """The live pages, other than `page`, whose content changes when it is published or withdrawn."""
    pages = [*page.get_translations().live(), *page.get_ancestors().live().filter(depth__gt=1)]
    shown_on = getattr(page.specific_deferred, "pages_showing_it", None)
    if shown_on is not None:
        pages.extend(shown_on())
    return pages


def _purge_pages_showing_it(instance, **kwargs):
    _purge(lambda: pages_showing(instance))


def _purge_the_section(instance, **kwargs):
    section = Page.objects.descendant_of(instance.page, inclusive=True)
    _purge(lambda: Page.objects.live().filter(translation_key__in=section.values("translation_key")))


def _purge(pages):
    # Without a CDN there is nothing to tell, and no task to queue on every publish.
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    batch.add_pages(pages())
    batch.purge()
