from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# The Wagtail admin ships inline styles and scripts, and shows page previews in a same-origin
# frame. It gets a looser policy of its own; the public site keeps the strict one from settings.
ADMIN_POLICY = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


def is_admin_path(path):
    return path.startswith(("/admin/", "/django-admin/"))


def is_preview(request):
    """Wagtail renders a preview by passing a dummy request for the page's own address through the
    middleware: it keeps the public policy, except that the admin may frame it."""
    return getattr(request, "is_dummy", False)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin exception above and same-origin framing for it."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            parts.replace = {**ADMIN_POLICY, **(parts.replace or {})}
        elif not report_only and is_preview(request):
            parts.replace = {"frame-ancestors": ADMIN_POLICY["frame-ancestors"], **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        if (is_admin_path(request.path_info) or is_preview(request)) and settings.X_FRAME_OPTIONS == "DENY":
            # Wagtail previews the page being edited inside the admin itself.
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Pages and downloads are for this site's own documents to load; images and static files are
        # answered before this middleware (WhiteNoise, the bucket) and stay embeddable by feed readers.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return super().process_response(request, response)


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, for a site whose addresses alone say the language: /es/... is
    Spanish and every other address English (`i18n_patterns` without a prefix for the default
    language, aipg_site/urls.py): the browser's Accept-Language and Django's language cookie never
    choose it. Django still marks every unprefixed response "Vary: Accept-Language"; the page cache
    would then store no English page at all, and a CDN would keep a copy per browser language of
    each. This one sends only the Content-Language, and never redirects (Django redirects only when
    the default language has a prefix too)."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
