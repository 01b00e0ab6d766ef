from django.db.models import Max
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap


class PageSitemap(Sitemap):
    """Every live, public page, a thousand to a file.

    /sitemap.xml is an index of those files, so no single response grows with the site: with ten
    thousand stories one file would take seconds to build, a thousand pages take a fraction of one.
    """

    limit = 1000

    def get_latest_lastmod(self):
        # Django's default loads every page to find the newest date; the index needs one query.
        newest = Max(Coalesce("last_published_at", "latest_revision_created_at"))
        return self.items().aggregate(newest=newest)["newest"]


SITEMAPS = {"pages": PageSitemap}
