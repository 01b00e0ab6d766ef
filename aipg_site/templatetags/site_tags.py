import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.models import Page

from aipg_site import fragments, translations
from aipg_site.language import page_language, primary_subtag
from aipg_site.models import NavigationSettings, Office
from aipg_site.snippet_translations import one_per_translation

register = template.Library()


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    """The menu in the reader's language: an item linking to a page leads to the page's live, public
    translation and reads its title (or the item's Spanish label), else to the page it names.

    The links are the same for every reader of a language (`fragments.shared`); which one is the
    current page is worked out here, per request."""
    request = context["request"]
    links = fragments.shared(request, "menu", lambda: _menu_links(request))
    current = context.get("page")
    return {
        "links": [
            {"href": link["href"], "text": link["text"], "current": _current_state(link["page"], current)}
            for link in links
        ]
    }


def _menu_links(request):
    items = list(NavigationSettings.for_request(request).menu_items.select_related("link_page"))
    language = page_language()
    translated = translations.public_translations(item.link_page.translation_key for item in items if item.link_page)
    links = []
    for item in items:
        page = item.link_page
        if page is not None:
            in_language = [
                translation
                for translation in translated.get(page.translation_key, [])
                if primary_subtag(translation.locale.language_code) == primary_subtag(language)
            ]
            page = in_language[0] if in_language else page
        href = page.get_url(request) if page else item.link_url
        if not href:
            continue
        linked = {"pk": page.pk, "path": page.path, "depth": page.depth} if page else None
        links.append({"href": href, "text": item.text_in(language, page), "page": linked})
    return links


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The trail from the home page down to `page`: the same for every reader, so rendered once per
    generation (any publish or move retires it)."""
    request = context.get("request")
    return fragments.shared_html(
        request,
        "breadcrumbs",
        lambda: render_to_string("components/breadcrumbs.html", {"page": page}, request=request),
        page.pk,
    )


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The footer: the organisation's contact details and every office, the same for every reader of a
    language, so rendered once per generation (`fragments.shared_html`)."""
    request = context.get("request")
    organisation = context.get("org")
    return fragments.shared_html(
        request,
        "footer",
        lambda: render_to_string("navigation/site_footer.html", {"org": organisation}, request=request),
    )


@register.inclusion_tag("navigation/footer_offices.html", takes_context=True)
def footer_offices(context):
    """Every office, each with only the contact details the footer has not printed already: the
    organisation's address and phone above the offices are usually its headquarters'. Each office
    once, in the reader's language where it is translated."""
    organisation = context.get("org")
    offices = one_per_translation(Office.objects.all())
    return {"offices": [(office, office.contact_details(shown=organisation)) for office in offices]}


@register.inclusion_tag("navigation/language_switcher.html", takes_context=True)
def language_switcher(context):
    """A link to this page in each other language, or to that language's home page when the page
    has no version in it (aipg_site/translations.py says which). The same for every reader of the
    page; elsewhere (search, a page not found) the links carry the request's own address."""
    request = context.get("request")
    page = _wagtail_page(context)
    if page is None or page.pk is None:
        return {"choices": translations.language_choices(request, page)}
    choices = fragments.shared(request, "languages", lambda: translations.language_choices(request, page), page.pk)
    return {"choices": choices}


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each live, public translation of the page, itself and
    x-default included; nothing on a page that exists in one language only."""
    page = _wagtail_page(context)
    if page is None:
        return ""
    request = context.get("request")
    if page.pk is None:
        return ""
    alternates = fragments.shared(request, "hreflang", lambda: translations.page_alternates(page, request), page.pk)
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', alternates)


def _wagtail_page(context):
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _current_state(link_page, current_page):
    """The aria-current value of a menu link: "page" on the page itself, "true" inside its section."""
    if not link_page or not current_page:
        return ""
    if link_page["pk"] == current_page.pk:
        return "page"
    # The home page (depth 2) contains everything, so it never marks a section.
    if link_page["depth"] > 2 and current_page.path.startswith(link_page["path"]):
        return "true"
    return ""


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block. Data blocks are not executed, so the CSP does not apply to them."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # The same escapes as Django's json_script: nothing in the data can close the script element.
    payload = payload.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 (escaped above)
