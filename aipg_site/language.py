"""Which language a page is written in, and which pieces of it are in another (WCAG 3.1.2).

The page's language is the active one (`get_language()`): English today, and whatever a translated
site activates tomorrow, so nothing here assumes "en". A resource in another language keeps its
title and summary in that language wherever they appear, marked with `lang` so screen readers
pronounce them right and browsers hyphenate and translate them right.
"""

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Locale


def page_language():
    return get_language() or settings.LANGUAGE_CODE


def primary_subtag(code):
    """The language without its region ("es" of "es-MX"): Mexican Spanish on a Spanish page is no change."""
    return (code or "").split("-")[0].lower()


def foreign_language(code):
    """`code` when it differs from the page's language, else "" (nothing to mark)."""
    if not code or primary_subtag(code) == primary_subtag(page_language()):
        return ""
    return code


def context_locale_id(context):
    """The id of the Wagtail locale a template is rendered in: its page's, else the active language's.

    Listings a template adds (the home page's latest stories) show pages of that locale only."""
    page = context.get("page")
    if page is not None and getattr(page, "locale_id", None):
        return page.locale_id
    return Locale.get_active().pk
