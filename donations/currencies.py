"""The currencies donors can give in: one table, with each currency's limits in minor units.

Amounts are integers in the currency's minor unit everywhere (cents, pence, grosze; yen have none),
as Stripe counts them. Only the form (reading what a donor typed) and the display (Babel) deal in
major units.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_symbol, get_decimal_symbol, get_group_symbol
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AMOUNT_CHARACTERS = re.compile(r"(?=.*\d)[\d.,]+")


def _grouped(digits: str, mark: str) -> bool:
    """Whether `digits` groups thousands with `mark` as people write them: 1,234,567, never 12,34,5."""
    first, *rest = digits.split(mark)
    return 1 <= len(first) <= 3 and first.isdigit() and all(len(group) == 3 and group.isdigit() for group in rest)


@dataclass(frozen=True)
class Currency:
    code: str
    name: str  # lazily translated: read in the active language
    decimals: int
    minimum: int  # minor units
    maximum: int  # minor units

    @property
    def factor(self) -> int:
        return 10**self.decimals

    def to_minor(self, major: str | Decimal | int, locale: str = "en") -> int:
        """`major` (as a donor typed it: "25.50", "12,34", "1.234,50", "€ 1 000") in minor units;
        ValueError, with a message saying how to type it, when it is not an amount or could be read
        two ways. `locale` (the donor's, from their browser) settles "5.000" and "5,000": a thousand
        where that mark groups thousands in their language, otherwise refused as ambiguous."""
        value = Decimal(major) if isinstance(major, (Decimal, int)) else self._read(major, locale)
        if not value.is_finite() or value <= 0:
            raise ValueError(_("Enter an amount greater than zero."))
        minor = value * self.factor
        if minor != minor.to_integral_value():
            if self.decimals == 0:
                raise ValueError(_("Amounts in %(currency)s have no decimal places.") % {"currency": self.code})
            raise ValueError(
                _("Amounts in %(currency)s have at most %(places)s decimal places.")
                % {"currency": self.code, "places": self.decimals}
            )
        return int(minor)

    def _read(self, typed: str, locale: str) -> Decimal:
        text = str(typed)
        for symbol in self._symbols(locale):
            text = text.replace(symbol, "")
        # Spaces (plain, no-break, narrow) and apostrophes only ever group digits.
        text = re.sub(r"[\s\u00a0\u202f'\u2019]", "", text)
        if not AMOUNT_CHARACTERS.fullmatch(text):
            example = self._example(locale)
            raise ValueError(_("Enter an amount as a number, for example %(example)s.") % {"example": example})
        marks = [character for character in text if character in ".,"]
        if not marks:
            return Decimal(text)
        last = max(text.rfind("."), text.rfind(","))
        mark, head, tail = text[last], text[:last], text[last + 1 :]
        if len(set(marks)) == 2:
            # Both marks: the last is the decimal mark, the other groups thousands ("1.234,50").
            other = "," if mark == "." else "."
            if mark in head or not _grouped(head, other):
                raise ValueError(self._how_to_type(typed, locale))
            return Decimal(f"{head.replace(other, '')}.{tail}")
        if len(marks) > 1:
            # One mark, several times: it groups thousands ("1,000,000").
            if not _grouped(text, mark):
                raise ValueError(self._how_to_type(typed, locale))
            return Decimal(text.replace(mark, ""))
        if len(tail) == 3 and head and head != "0":
            # "5.000" is five thousand in German and five in English: read by the donor's language,
            # and where that language does not group with this mark, asked again.
            if mark == get_group_symbol(locale):
                return Decimal(head + tail)
            raise ValueError(self._how_to_type(typed, locale))
        # One mark, not followed by three digits: a decimal mark, whichever it is ("12,34", "5.5").
        return Decimal(f"{head or '0'}.{tail or '0'}")

    def _symbols(self, locale: str) -> list[str]:
        symbols = {self.code, self.code.lower(), get_currency_symbol(self.code, locale), get_currency_symbol(self.code)}
        # Longest first, so "zł" goes before a one-letter symbol could leave half of it.
        return sorted(symbols, key=len, reverse=True)

    def _example(self, locale: str) -> str:
        if self.decimals == 0:
            return "5000"
        return _("25 or 25%(decimal)s50") % {"decimal": get_decimal_symbol(locale)}

    def _how_to_type(self, typed: str, locale: str) -> str:
        if self.decimals == 0:
            return _(
                "We could not read “%(typed)s”. Amounts in %(currency)s are whole numbers: "
                "type one without separators, for example 5000."
            ) % {"typed": typed, "currency": self.code}
        return _(
            "We could not tell what “%(typed)s” means. Type the amount without a thousands separator, "
            "for example 5000 or 12%(decimal)s50."
        ) % {"typed": typed, "decimal": get_decimal_symbol(locale)}

    def to_major(self, minor: int) -> Decimal:
        """`minor` in the main unit with the currency's decimal places: 5000 USD is Decimal("50.00")."""
        return (Decimal(minor) / self.factor).quantize(Decimal(1).scaleb(-self.decimals))

    def major_text(self, minor: int) -> str:
        """The amount as a donor would type it: 2500 USD is "25", 2550 is "25.50", 500 JPY is "500"."""
        if minor % self.factor == 0:
            return str(minor // self.factor)
        return f"{self.to_major(minor):.{self.decimals}f}"

    def format(self, minor: int) -> str:
        """The amount as the active language writes it: "$25.00" in English, "25,00 US$" in Spanish."""
        return format_money(minor, self.code)

    def format_short(self, minor: int) -> str:
        """Like `format`, without zero decimals: "$25" rather than "$25.00", for preset buttons."""
        if minor % self.factor:
            return self.format(minor)
        locale = display_locale()
        # The language's own currency pattern ("¤#,##0.00", "#,##0.00 ¤") without its decimals.
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return format_money(minor, self.code, locale=locale, pattern=pattern)


CURRENCIES: dict[str, Currency] = {
    currency.code: currency
    for currency in [
        Currency("USD", gettext_lazy("US dollar"), 2, minimum=5_00, maximum=25_000_00),
        Currency("EUR", gettext_lazy("Euro"), 2, minimum=5_00, maximum=25_000_00),
        Currency("GBP", gettext_lazy("Pound sterling"), 2, minimum=5_00, maximum=20_000_00),
        Currency("PLN", gettext_lazy("Polish złoty"), 2, minimum=20_00, maximum=100_000_00),
        # Zero-decimal: Stripe counts yen in whole yen.
        Currency("JPY", gettext_lazy("Japanese yen"), 0, minimum=500, maximum=3_000_000),
    ]
}
CURRENCY_CHOICES = [(code, format_lazy("{} ({})", code, currency.name)) for code, currency in CURRENCIES.items()]
DEFAULT_CURRENCY = "USD"


def reading_locale(accept_language: str, language: str = "") -> str:
    """The donor's language for reading the numbers they type, from their browser's Accept-Language
    header: the first it names that Babel knows (quality order), else English. Given a `language`
    (the page's, where it is not English), the first variant of it the browser names ("es-MX"), else
    that language itself: a donor reading a Spanish page writes numbers as Spanish is written."""
    tags = []
    for position, part in enumerate(accept_language.split(",")[:10]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*":
            tags.append((-quality, position, tag))
    for _quality, _position, tag in sorted(tags):
        try:
            locale = Locale.parse(tag.replace("-", "_"))
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        if not language or locale.language == language:
            return str(locale)
    return language or "en"


def display_locale() -> str:
    """Babel's name for the active language (the page's, or the donor's in their emails): amounts and
    dates are written as readers of that language write them."""
    return translation.to_locale(translation.get_language() or "en")


def format_money(minor: int, code: str, locale: str | None = None, pattern: str | None = None) -> str:
    """An amount in minor units written for people, in `locale` or else the active language:
    `format_money(2550, "EUR")` is "€25.50" in English and "25,50 €" in Spanish."""
    locale = locale or display_locale()
    code = code.upper()
    currency = CURRENCIES.get(code)
    decimals = currency.decimals if currency else 2
    text = format_currency(
        Decimal(minor) / 10**decimals, code, format=pattern, locale=locale, currency_digits=pattern is None
    )
    # CLDR spaces a letter code from the digits ("PLN 20.00"); Babel does not apply that rule.
    if text.startswith(code) and text[len(code) : len(code) + 1].isdigit():
        text = f"{code}\u00a0{text[len(code) :]}"
    return text
