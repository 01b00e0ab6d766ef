from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .pagination import paginate
from .search import clean_query, search_terms

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Site search over every live, public page. Any query string gives a normal page."""
    query = clean_query(request.GET.get("q", ""))
    page_obj = None
    if query:
        page_obj = paginate(
            request, Page.objects.live().public().specific().search(search_terms(query)), RESULTS_PER_PAGE
        )
    return render(
        request,
        "aipg_site/search_results.html",
        {
            "query": query,
            "page_obj": page_obj,
            "title": f"Search results for “{query}”" if query else "Search",
            "canonical_url": request.build_absolute_uri(reverse("search")),
        },
    )


@require_GET
@cache_control(max_age=60 * 60)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request):
    # Rendered without a request context: whatever broke may be the database the context needs.
    # The page says staff were told only when someone is set to receive the report (ADMINS).
    return HttpResponseServerError(loader.get_template("500.html").render({"reported": bool(settings.ADMINS)}))
