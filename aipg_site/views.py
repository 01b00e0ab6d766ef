import json
import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtaildocs_serve
from wagtail.models import Locale, Page

from . import ratelimit
from .search import SearchPaginator, clean_query, newest_first, search_groups, search_terms

RESULTS_PER_PAGE = 10
# How many matches of each group (observances, say) are shown above the first page of results.
GROUP_MATCHES_SHOWN = 5


@require_GET
def search(request):
    """Site search over every live, public page in the reader's language, newest first (why:
    `search.newest_first`), and what the apps add (the observances on the calendar, shown as a group
    above the first page). Any query string gives a normal page."""
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    page_obj, groups = None, []
    if query:
        # The pages of the address's language only: /search/ finds English pages, /es/search/ Spanish.
        pages = newest_first(Page.objects.live().public().filter(locale=Locale.get_active()))
        paginator = SearchPaginator(pages.specific().search(terms, order_by_relevance=False), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        page_obj.page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
        groups = search_groups(request, terms, shown=GROUP_MATCHES_SHOWN if page_obj.number == 1 else 0)
    return render(
        request,
        "aipg_site/search_results.html",
        {
            "query": query,
            "page_obj": page_obj,
            "groups": groups,
            "groups_shown": any(group.matches for group in groups),
            "result_count": (page_obj.paginator.count + sum(group.count for group in groups)) if query else 0,
            "more_than_counted": bool(page_obj and page_obj.paginator.more),
            "title": _("Search results for “%(query)s”") % {"query": query} if query else _("Search"),
            "canonical_url": request.build_absolute_uri(reverse("search")),
        },
    )


@require_GET
@cache_control(max_age=60 * 60)
def robots_txt(request):
    # The search's address in every language (/search/, /es/search/).
    search_paths = []
    for language_code, _name in settings.LANGUAGES:
        with translation.override(language_code):
            search_paths.append(reverse("search"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: {search_path}" for search_path in search_paths),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request):
    # Rendered without a request context: whatever broke may be the database the context needs.
    # The language is read from the address itself (/es/... is Spanish), since the error may have
    # come before the middleware that reads it. The page says staff were told only when someone is
    # set to receive the report (ADMINS).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        home_url = reverse("wagtail_serve", args=[""])
        html = loader.get_template("500.html").render({"reported": bool(settings.ADMINS), "home_url": home_url})
    return HttpResponseServerError(html)


# A report is a small JSON document; anything larger is not one.
CSP_REPORT_MAX_BYTES = 8 * 1024
csp_logger = logging.getLogger("aipg_site.csp")


@csrf_exempt
@require_POST
def csp_report(request):
    """Where browsers send what the Content Security Policy blocked: logged, never stored."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    csp_logger.warning(
        "Content Security Policy blocked %s (%s) on %s",
        str(report.get("blocked-uri", "?"))[:200],
        str(report.get("violated-directive") or report.get("effective-directive", "?"))[:100],
        str(report.get("document-uri", "?"))[:200],
    )
    return HttpResponse(status=204)


def count_password_guesses(password_view):
    """Wrap one of Wagtail's password forms (a private page's, a private collection's) so guesses are
    counted: past PAGE_PASSWORD_RATE_LIMIT per client address (every attempt counts, right or wrong)
    the form is refused for the rest of the window. Both forms share one count."""

    @require_http_methods(["GET", "POST"])
    @wraps(password_view)
    def view(request, *args, **kwargs):
        if request.method == "POST":
            limit, window = settings.PAGE_PASSWORD_RATE_LIMIT
            if not ratelimit.hit("page-password", request, limit, window):
                return render(request, "account_locked.html", status=429)
        return password_view(request, *args, **kwargs)

    return view


authenticate_with_password = count_password_guesses(wagtail_views.authenticate_with_password)
authenticate_with_collection_password = count_password_guesses(wagtaildocs_serve.authenticate_with_password)
