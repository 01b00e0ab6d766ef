"""The site's URLs plus a page with a CSRF-protected form, the way the donate form is built."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from aipg_site.urls import urlpatterns as site_urlpatterns

FORM = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Give</button></form>')


def form_page(request):
    return HttpResponse(FORM.render({}, request))


urlpatterns = [path("form/", form_page), *site_urlpatterns]
