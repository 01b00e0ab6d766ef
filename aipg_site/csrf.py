"""Cross-site request forgery: Django's token check everywhere, except on the pages whose form must be
cacheable, which check where the request came from instead.

Django's CSRF protection puts a per-visitor token in every form and a cookie beside it, so a page
with a form can never be one cached copy for everybody. A page type that must be cached (the donate
page, which every campaign email links to) sets `checks_cross_site_posts = True`: its posts skip
Django's token check (`PagesCheckingTheirOwnPosts`), and the page calls `cross_site_refusal(request)`
itself before acting on one. Every other view, page and form keeps Django's check.

Why headers rather than a token fetched by a script when the form is used: the token would need
JavaScript, and every control on this site works without it; and it would add a request before
every gift. The headers come with every browser's post at no cost, which is how Go 1.25's
`net/http.CrossOriginProtection` protects forms (after Filippo Valsorda's analysis of CSRF):
- `Sec-Fetch-Site` (sent by every major browser since 2023) says whether the page that sent the
  request is on this origin. Pages cannot forge it. `same-origin` and `none` (something the person
  did themselves, such as a bookmark) are accepted; `cross-site` and `same-site` (another host of
  the same domain) are refused, unless the `Origin` is one this site trusts (below).
- Without it (an older browser, or plain HTTP to a host other than localhost, where browsers do not
  send it), the `Origin` header decides, with Django's own rules: it must be this site's origin as
  Django reckons it behind a proxy (`ALLOWED_HOSTS`/`USE_X_FORWARDED_HOST` for the host,
  `SECURE_PROXY_SSL_HEADER` for the scheme) or one of `CSRF_TRUSTED_ORIGINS`; the origin of
  `WAGTAILADMIN_BASE_URL`, the site's public address by definition, is accepted too. `Origin: null`
  (a sandboxed frame, a redirect through another site) is refused.
- With neither header the post is accepted. A forgery needs a victim's browser, and every browser
  in use sends `Origin` with a form post (Firefox, the last to do so, since version 70 in 2019);
  what sends neither is a script, a monitoring probe or a test client, which can post whatever it
  likes anyway and has no visitor's cookies to borrow. Refusing them would
  lock those out and protect nobody. The `Referer` is not consulted: a forging page can suppress
  it at will (`rel="noreferrer"`), so only refusing its absence would count, and that would turn
  away the donors whose privacy settings strip it.
Go makes the same choice in each case.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ACCEPTED_FETCH_SITES = frozenset({"same-origin", "none"})


class PagesCheckingTheirOwnPosts:
    """Placed just before Django's CsrfViewMiddleware: a post to a page whose type checks where its
    posts come from (`checks_cross_site_posts`) is marked as done with Django's check, which then
    lets it through to the page (the flag is the one Django's own `csrf_protect` uses so that a
    request is checked once). Everything else meets Django's check as before. Wagtail's router runs
    here to find the page; it keeps its answer on the request, so the page is not looked up twice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if callback is wagtail_serve and request.method not in SAFE_METHODS:
            path = callback_kwargs.get("path", callback_args[0] if callback_args else "")
            route = Page.route_for_request(request, path)
            if route is not None and getattr(route[0], "checks_cross_site_posts", False):
                request.csrf_processing_done = True


def cross_site_refusal(request) -> str:
    """Why this post must be refused as sent by another site's page ("" when it may go ahead): the
    browser's `Sec-Fetch-Site`, else its `Origin`, compared with this site's origin."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    origin = request.headers.get("Origin")
    if fetch_site in ACCEPTED_FETCH_SITES:
        return ""
    if origin is None:
        if fetch_site:
            return f"Sec-Fetch-Site is {fetch_site!r} and there is no Origin header"
        return ""  # no browser, or one too old to matter: see the module's docstring
    if _is_site_origin(request, origin):
        return ""
    if fetch_site:
        return f"Sec-Fetch-Site is {fetch_site!r} and the Origin {origin!r} is not trusted"
    return f"the Origin {origin!r} is not this site's"


def _is_site_origin(request, origin: str) -> bool:
    # Django's own comparison, read afresh from the settings each time (it keeps the trusted
    # origins on the instance).
    if CsrfViewMiddleware(lambda request: None)._origin_verified(request):
        return True
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return bool(public.netloc) and origin == f"{public.scheme}://{public.netloc}"


def log_refusal(request, reason: str) -> None:
    logger.warning("Refused a %s to %s sent from another site: %s.", request.method, request.path, reason)
