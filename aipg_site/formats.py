"""Dates and numbers as a reader of the active language writes them, through Babel (CLDR).

English keeps the site's own order, day before month ("9 December 2026"), which CLDR's English
("December 9, 2026") would change; every other language takes CLDR's own forms ("9 de diciembre
de 2026"). Machine-readable values (`datetime` attributes, feeds, JSON-LD) stay ISO and never
come through here.
"""

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .language import page_language, primary_subtag

# The site's English patterns (CLDR syntax), as it printed them before it had a second language.
ENGLISH_DATES = {
    "day_month": "d MMMM",  # 9 December
    "long": "d MMMM y",  # 9 December 2026
    "full": "EEEE d MMMM y",  # Wednesday 9 December 2026
}
DATE_STYLES = tuple(ENGLISH_DATES)


def babel_locale():
    """The active language as Babel names it ("es", "pt_BR")."""
    return page_language().replace("-", "_")


def local_date(value, style="long"):
    """`value` (a date or datetime) in one of DATE_STYLES, in the active language."""
    if value is None or value == "":
        return ""
    if style not in ENGLISH_DATES:
        raise ValueError(f"Unknown date style {style!r}: use one of {', '.join(DATE_STYLES)}.")
    if primary_subtag(page_language()) == "en":
        return format_date(value, ENGLISH_DATES[style], locale="en")
    if style == "day_month":
        return format_skeleton("MMMMd", value, locale=babel_locale())
    return format_date(value, style, locale=babel_locale())


def local_number(value):
    """A whole or decimal number with the active language's separators: 12,345 in English, 12.345 in Spanish."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=babel_locale())
