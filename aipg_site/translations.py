"""The same page in another language, as readers, crawlers and the CDN meet it.

A page and its translations share a `translation_key`; each is its own page, published on its own,
and may be made private on its own. So "this page in Spanish" is a question about that one page:
is it live, and may anyone read it? The language switcher, the `hreflang` alternates in the head,
the sitemap's alternates and the CDN purge all ask here, so what one shows the others agree with.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page, Site

from .language import page_language, primary_subtag


def site_languages():
    return [code for code, _name in settings.LANGUAGES]


def language_name(code, *, in_sentence=False):
    """The language as its readers name it: "Español" as a label, "español" inside a sentence."""
    name = get_language_info(code)["name_local"]
    return name if in_sentence else name[:1].upper() + name[1:]


def public_translations(translation_keys):
    """Every live, public page of these translation keys, grouped by key, in the order of
    settings.LANGUAGES: one query for the pages and one for the site's view restrictions, however
    many keys (the sitemap asks for a thousand at a time)."""
    order = {code: position for position, code in enumerate(site_languages())}
    pages = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=set(translation_keys))
        .select_related("locale")
        .defer_streamfields()
    )
    grouped = {}
    for page in pages:
        grouped.setdefault(page.translation_key, []).append(page)
    for translations in grouped.values():
        translations.sort(key=lambda page: order.get(page.locale.language_code, len(order)))
    return grouped


def hreflang_alternates(page, translations, request=None):
    """The page's `hreflang` alternates: (language, absolute address) for each live, public
    translation, the page itself included, then "x-default" at the site's default language.

    None at all unless the page exists, live and public, in two languages or more: an alternate
    must point back (search engines ignore pairs that are not reciprocal), so a draft, an
    unpublished or a private translation is never named, and a page that is itself private names
    nothing."""
    if page.pk not in {translation.pk for translation in translations} or len(translations) < 2:
        return []
    alternates = []
    for translation in translations:
        url = translation.get_full_url(request)
        if url:
            alternates.append((translation.locale.language_code, url))
    if len(alternates) < 2:
        return []
    default = dict(alternates).get(settings.LANGUAGE_CODE)
    if default:
        alternates.append(("x-default", default))
    return alternates


def page_alternates(page, request=None):
    """`hreflang_alternates` of one page, worked out once per page object (the head and the
    sitemap's checks may both ask)."""
    if not hasattr(page, "_hreflang_alternates"):
        translations = public_translations([page.translation_key]).get(page.translation_key, [])
        page._hreflang_alternates = hreflang_alternates(page, translations, request)
    return page._hreflang_alternates


def language_choices(request, page=None):
    """Where the language switcher leads, one choice per other language: a dict with the language's
    `code`, `name` and `name_in_sentence`, the `url`, and `same_page`, false when this page has no version in that
    language and the choice leads to that language's home page instead.

    For a page: its live translation. A public page never leads to a private translation (a reader
    would meet a login form); a private page may, its reader being inside already. For anything
    else that has an address in each language (search, a page not found): the same address in
    the other language. A language whose home page is not live is not offered at all: the site is
    not yet in it."""
    if request is None:
        return []
    current = primary_subtag(page_language())
    others = [code for code in site_languages() if code != current]
    if not others:
        return []
    homes = _live_homes(request)
    if page is None:
        same_pages = _same_addresses(request, others)
    elif page.pk is None:  # a new page's preview: it has no translations yet
        same_pages = {}
    else:
        same_pages = _page_translations(page, request)
    choices = []
    for code in others:
        if code not in homes:
            continue
        url = same_pages.get(code)
        choices.append(
            {
                "code": code,
                "name": language_name(code),
                "name_in_sentence": language_name(code, in_sentence=True),
                "url": url or homes[code],
                "same_page": bool(url),
            }
        )
    return choices


def _live_homes(request):
    site = Site.find_for_request(request)
    if site is None:
        return {}
    homes = site.root_page.get_translations(inclusive=True).live().select_related("locale")
    return {home.locale.language_code: home.get_url(request) for home in homes}


def _page_translations(page, request):
    translations = page.get_translations().live().select_related("locale")
    if not page.get_view_restrictions().exists():
        translations = translations.public()
    return {translation.locale.language_code: translation.get_url(request) for translation in translations}


def _same_addresses(request, languages):
    """The request's address in each language, where the view has one (those in i18n_patterns)."""
    path = request.get_full_path()
    addresses = {}
    for code in languages:
        translated = translate_url(path, code)
        if translated != path:
            addresses[code] = translated
    return addresses
