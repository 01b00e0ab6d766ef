"""The site's URLs plus one view that fails, to see the 500 page a visitor would get."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from aipg_site.urls import handler500
from aipg_site.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("A deliberate failure for the 500-page test")


# In every language, as readers' addresses are: /broken/ and /es/broken/.
urlpatterns = [*i18n_patterns(path("broken/", broken), prefix_default_language=False), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
