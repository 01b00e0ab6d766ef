from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from resources import views as resources_views

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Before Wagtail's own document URLs: an outdated file name redirects to the current one.
    path("documents/<int:document_id>/<str:document_filename>", resources_views.serve_document),
    # Before Wagtail's own, at the address its collection password form posts to: guesses are counted.
    path("documents/authenticate_with_password/<int:restriction_id>/", views.authenticate_with_collection_password),
    path("documents/", include(wagtaildocs_urls)),
    # Beside the DonatePage at /donate/, which Wagtail serves; it must not depend on that page.
    path("donate/", include("donations.webhook_urls")),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report/", views.csp_report, name="csp_report"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What readers read, in each language: English at the addresses it always had, Spanish under /es/
# (settings.LANGUAGES). The language is the address's alone (aipg_site.middleware.PathLocaleMiddleware):
# the browser's Accept-Language never moves a reader. Last, since Wagtail's pages take every address.
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    # Each language's feeds and calendar files list that language's pages: /feeds/ and /es/feeds/.
    path("feeds/", include("stories.urls")),
    path("feeds/", include("resources.urls")),
    # Before Wagtail's own, at the address its password forms post to, in every language: guesses are counted.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
    ),
    # The donor's pages (thank you, managing a monthly gift) beside the donate pages Wagtail serves;
    # they must not depend on those pages.
    path("", include("donations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler500 = "aipg_site.views.server_error"
