from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Max
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from . import page_cache, translations


class PageSitemap(Sitemap):
    """Every live, public page, in every language, a thousand to a file, each with its `hreflang`
    alternates (the same the page's head names: aipg_site/translations.py).

    /sitemap.xml is an index of those files, so no single response grows with the site: with ten
    thousand stories one file would take seconds to build, a thousand pages take a fraction of one.
    Wagtail's own sitemap walks the site's home page alone, which leaves out every translation: the
    Spanish home is the English one's sibling, not its child, so this one walks each language's home.

    How many pages there are (which says how many files) and the newest date (the index's
    `lastmod`) read every page: each is worked out once per page-cache generation, so the index
    and each file's paginator cost the same at any size until the next publish.
    """

    limit = 1000

    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_home = reduce(or_, (Page.objects.descendant_of_q(home, inclusive=True) for home in homes))
        return Page.objects.filter(in_a_home).live().public().order_by("path").defer_streamfields().specific()

    def get_latest_lastmod(self):
        # Django's default loads every page to find the newest date; here one query, remembered.
        items = self.items()
        newest = Max(Coalesce("last_published_at", "latest_revision_created_at"))
        return page_cache.remember(
            "sitemap-newest:" + page_cache.query_key(items), lambda: items.aggregate(newest=newest)["newest"]
        )

    @property
    def paginator(self):
        items = self._items()
        pages = Paginator(items, self.limit)
        # `count` is a cached property: set here, the paginator never counts the pages itself.
        pages.count = page_cache.count(items)
        return pages

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        # The translations of a whole file at once: two queries, not one per page.
        by_key = translations.public_translations(item.translation_key for item in pages)
        urls = []
        for item in pages:
            alternates = translations.hreflang_alternates(item, by_key.get(item.translation_key, []), self.request)
            for url_info in item.get_sitemap_urls(self.request):
                url_info.setdefault("alternates", [{"lang_code": code, "location": url} for code, url in alternates])
                urls.append(url_info)
        last_mods = {url_info.get("lastmod") for url_info in urls}
        # As Wagtail's: the file's Last-Modified, when every page has a date.
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


SITEMAPS = {"pages": PageSitemap}
