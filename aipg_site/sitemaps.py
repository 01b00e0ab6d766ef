from wagtail.contrib.sitemaps import Sitemap


class PageSitemap(Sitemap):
    """Every live, public page, a thousand to a file.

    /sitemap.xml is an index of those files, so no single response grows with the site: with ten
    thousand stories one file would take seconds to build, a thousand pages take a fraction of one.
    """

    limit = 1000


SITEMAPS = {"pages": PageSitemap}
